# The book's 13.13 child, without its random pauses: prompts, then echoes each answer twice, until "quit".
user_input = ''
while user_input != 'quit':
    user_input = input('Enter text to echo: ')
    for i in range(2):
        print(user_input, flush=True)

import os

# The child's nice value: it inherits the nice value of the thread that started it.
print(os.nice(0))

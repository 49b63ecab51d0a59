# Prints the child's environment, one NAME=value per line.
import os
for name in sorted(os.environ):
    print(f'{name}={os.environ[name]}')

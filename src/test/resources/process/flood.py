# Writes without end: the timeout has to stop it, and the output cap has to hold.
import sys
out = sys.stdout.buffer
chunk = b'x' * 1023 + b'\n'
while True:
    out.write(chunk)

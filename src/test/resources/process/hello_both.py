# The book's 13.4 child, on both pipes: "Hello there!!" a million times to stdout and to stderr.
import sys
out = sys.stdout.buffer
err = sys.stderr.buffer
line = b'Hello there!!\n'
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 1000000):
    out.write(line)
    err.write(line)
out.flush()
err.flush()

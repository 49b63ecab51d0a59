# Ignores SIGTERM, starts a grandchild, says so, then waits forever: only SIGKILL ends it.
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
grandchild = subprocess.Popen(['sleep', '300'])
print('grandchild', grandchild.pid, flush=True)
while True:
    time.sleep(1)

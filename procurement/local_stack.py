"""Keeps the processes of `make run` up: a process that exits is started again, with a log line.

A process that keeps exiting (``max_restarts`` restarts within ``window`` seconds) is taken as
broken beyond a restart: the supervisor then gives up and the whole stack stops, so the developer
sees the error instead of a restart loop.
"""

import os
import signal
import subprocess
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    command: list
    process: subprocess.Popen | None = None
    restarts: deque = field(default_factory=deque)  # monotonic times of recent restarts
    started_total: int = 0


class Supervisor:
    def __init__(
        self,
        commands,
        *,
        cwd=None,
        env=None,
        log=print,
        max_restarts=5,
        window=600.0,
        restart_delay=1.0,
        clock=time.monotonic,
    ):
        self.children = {name: Child(name, list(command)) for name, command in commands.items()}
        self.cwd = cwd
        self.env = env
        self.log = log
        self.max_restarts = max_restarts
        self.window = window
        self.restart_delay = restart_delay
        self.clock = clock
        self.gave_up = None  # the name of the process that kept exiting, once given up

    def _spawn(self, child):
        child.process = subprocess.Popen(child.command, cwd=self.cwd, env=self.env)  # noqa: S603
        child.started_total += 1

    def start(self):
        for child in self.children.values():
            self._spawn(child)

    def restart_count(self, name):
        return self.children[name].started_total - 1

    def check(self):
        """Restart whatever exited; return False once a process kept exiting (stack to stop)."""
        for child in self.children.values():
            code = child.process.poll()
            if code is None:
                continue
            now = self.clock()
            while child.restarts and now - child.restarts[0] > self.window:
                child.restarts.popleft()
            if len(child.restarts) >= self.max_restarts:
                self.gave_up = child.name
                self.log(
                    f"{child.name} exited with code {code} {len(child.restarts) + 1} times within "
                    f"{self.window / 60:g} minutes; stopping the whole stack."
                )
                return False
            child.restarts.append(now)
            self.log(
                f"{child.name} exited with code {code}; restarting it "
                f"(restart {len(child.restarts)} of {self.max_restarts} allowed within "
                f"{self.window / 60:g} minutes)."
            )
            if self.restart_delay:
                time.sleep(self.restart_delay)
            self._spawn(child)
        return True

    def stop(self, timeout=15.0):
        running = [c.process for c in self.children.values() if c.process is not None]
        for process in running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()

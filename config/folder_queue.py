"""The folder queue of `make run`: kombu's filesystem transport with atomic hand-offs.

kombu's filesystem transport creates a message file under its final name and then writes it, so a
worker polling the folder can open it while it is still empty or half written (a JSONDecodeError
that stopped the worker of `make run` on a busy machine). Here every file a reader may open appears
whole or not at all:

- a message is written to a hidden temporary name in the same folder (which no reader lists),
  flushed to disk, then renamed to its final name: a rename within a folder is atomic;
- a reader claims a message by renaming it into the processed folder (same file system, atomic,
  and only one reader can win), and a file that still cannot be decoded is set aside in
  ``rejected/`` with a log line instead of stopping the worker;
- an exchange's routing table is rewritten the same way, under a lock file so that two
  processes binding queues at once do not lose each other's bindings.

Registered as the ``folderqueue://`` scheme (config/celery.py imports this module).
"""

import contextlib
import fcntl
import logging
import os
import uuid
from pathlib import Path
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

SCHEME = "folderqueue"
TEMPORARY_PREFIX = ".partial-"


def write_atomically(path, data):
    """Write ``data`` (bytes) to ``path`` so that readers see the old file, or the new one whole."""
    path = Path(path)
    temporary = path.with_name(f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename itself survives a power cut only once the folder's entry is on disk.
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


class Channel(filesystem.Channel):
    @contextlib.contextmanager
    def _exchange_lock(self, exchange):
        self.control_folder.mkdir(parents=True, exist_ok=True)
        lock_path = self._exchange_file(exchange).with_suffix(".lock")
        with open(lock_path, "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _read_table(self, exchange):
        try:
            raw = self._exchange_file(exchange).read_bytes()
        except FileNotFoundError:
            return []
        return [filesystem.exchange_queue_t(*q) for q in loads(bytes_to_str(raw))]

    def get_table(self, exchange):
        try:
            return self._read_table(exchange)
        except OSError as exc:
            raise ChannelError(f"Cannot open {self._exchange_file(exchange)}") from exc

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        try:
            with self._exchange_lock(exchange):
                queues = self._read_table(exchange)
                if binding not in queues:
                    queues.insert(0, binding)
                    write_atomically(self._exchange_file(exchange), str_to_bytes(dumps(queues)))
        except OSError as exc:
            raise ChannelError(f"Cannot open {self._exchange_file(exchange)}") from exc

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        # The virtual channel's bookkeeping, without the filesystem channel's in-place rewrite.
        super(filesystem.Channel, self)._delete(
            queue, exchange, routing_key, pattern, *args, **kwargs
        )
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._exchange_lock(exchange):
            queues = self._read_table(exchange)
            if binding in queues:
                queues.remove(binding)
                write_atomically(self._exchange_file(exchange), str_to_bytes(dumps(queues)))

    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            write_atomically(path, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc

    def _get(self, queue):
        wanted = f"{queue}.msg"
        claimed_folder = Path(self.processed_folder)
        claimed_folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.startswith(TEMPORARY_PREFIX) or name.partition(".")[2] != wanted:
                continue
            claimed = claimed_folder / name
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except OSError:
                continue  # another reader claimed it first
            try:
                raw = claimed.read_bytes()
                payload = loads(bytes_to_str(raw))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                self._reject(claimed, exc)
                continue
            if not self.store_processed:
                with contextlib.suppress(FileNotFoundError):
                    claimed.unlink()
            return payload
        raise filesystem.Empty()

    def _reject(self, path, exc):
        rejected = Path(self.processed_folder).parent / "rejected"
        rejected.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.replace(path, rejected / path.name)
        logger.error("Folder queue: set aside unreadable message %s (%s)", path.name, exc)


class Transport(filesystem.Transport):
    Channel = Channel
    global_state = filesystem.virtual.BrokerState()
    driver_type = SCHEME
    driver_name = SCHEME


TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")

__all__ = ["SCHEME", "Transport", "write_atomically"]

"""The folder queue of `make run` (config/folder_queue.py): a reader never sees a partial message.

A writer process publishes large messages as fast as it can while this process reads the folder
in a tight loop; every message must arrive whole, once, and nothing may be set aside.
"""

import multiprocessing
import os

import pytest
from kombu import Connection, Exchange, Queue

from config import folder_queue

MESSAGES = 150
# Large enough that a write takes several system calls' worth of time.
BODY_SIZE = 512 * 1024


@pytest.fixture(autouse=True)
def fresh_broker_state():
    """Each test has its own folders; the transport's declared-exchange memory is per process."""
    folder_queue.Transport.global_state.clear()
    yield
    folder_queue.Transport.global_state.clear()


def options(folder):
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def connection(folder, scheme=folder_queue.SCHEME):
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return Connection(f"{scheme}://", transport_options=options(folder))


def body(number):
    return {"number": number, "filler": str(number % 10) * BODY_SIZE}


def publish(folder, scheme, count):
    with connection(folder, scheme) as conn:
        queue = conn.SimpleQueue("soak")
        for number in range(count):
            queue.put(body(number))
        queue.close()


def read_while_written(folder, scheme):
    """Read until the writer is done and the folder is empty; return (numbers, errors)."""
    writer = multiprocessing.get_context("fork").Process(
        target=publish, args=(folder, scheme, MESSAGES)
    )
    received, errors = [], []
    with connection(folder, scheme) as conn:
        queue = conn.SimpleQueue("soak")
        writer.start()
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                if not writer.is_alive() and queue.qsize() == 0:
                    break
                continue
            except ValueError as exc:  # a torn file: JSONDecodeError is a ValueError
                errors.append(exc)
                continue
            payload = message.payload
            if payload != body(payload["number"]):
                errors.append(f"message {payload['number']} altered")
            received.append(payload["number"])
            message.ack()
        queue.close()
    writer.join()
    assert writer.exitcode == 0
    return received, errors


def test_a_reader_polling_during_writes_gets_every_message_whole_and_once(tmp_path):
    received, errors = read_while_written(tmp_path, folder_queue.SCHEME)

    assert errors == []
    assert sorted(received) == list(range(MESSAGES))
    assert not (tmp_path / "rejected").exists()
    # Nothing left behind: no temporary file, no claimed file.
    assert os.listdir(tmp_path / "queue") == []
    assert os.listdir(tmp_path / "processed") == []


def test_an_unreadable_message_is_set_aside_and_the_next_one_delivered(tmp_path, caplog):
    with connection(tmp_path) as conn:
        queue = conn.SimpleQueue("soak")
        # A file in the queue's naming scheme that is not a message (e.g. left by an older writer).
        (tmp_path / "queue" / "0_broken.soak.msg").write_bytes(b'{"body": "half')
        queue.put({"number": 1})

        message = queue.get(timeout=5)

        assert message.payload == {"number": 1}
        message.ack()
        queue.close()
    assert os.listdir(tmp_path / "rejected") == ["0_broken.soak.msg"]
    assert "unreadable message 0_broken.soak.msg" in caplog.text


def bind_queues(folder, names):
    with connection(folder) as conn:
        for name in names:
            Queue(name, Exchange("shared", type="direct"), routing_key=name)(
                conn.default_channel
            ).declare()


def test_bindings_made_by_two_processes_at_once_are_all_kept(tmp_path):
    names = {side: [f"{side}{n}" for n in range(30)] for side in ("a", "b")}
    context = multiprocessing.get_context("fork")
    binders = [context.Process(target=bind_queues, args=(tmp_path, n)) for n in names.values()]
    for binder in binders:
        binder.start()
    for binder in binders:
        binder.join()

    with connection(tmp_path) as conn:
        table = conn.default_channel.get_table("shared")
    assert sorted(binding.queue for binding in table) == sorted(names["a"] + names["b"])


def test_the_transport_is_registered_under_its_own_scheme():
    with Connection(f"{folder_queue.SCHEME}://") as conn:
        assert isinstance(conn.transport, folder_queue.Transport)

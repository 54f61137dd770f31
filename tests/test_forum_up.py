"""`forum up` (what `make up` runs): the whole forum starts, answers, and stops cleanly on Ctrl-C."""

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from forum_shared.local import free_port

SERVICES = ("membership", "meetings", "feedback", "signposting")


def forum_up(tmp_path, *extra: str) -> tuple[subprocess.Popen, dict[str, int]]:
    ports = {name: free_port() for name in SERVICES}
    args = [f"--{name}-port={port}" for name, port in ports.items()]
    proc = subprocess.Popen(
        [sys.executable, "-m", "forum_shared.cli", "up", "--data", str(tmp_path / "var"), *args, *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return proc, ports


def test_forum_up_starts_every_service_with_its_own_nats_and_stops_on_ctrl_c(tmp_path):
    with socket.socket() as taken:  # NATS's usual port being taken must not matter
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        proc, ports = forum_up(tmp_path, f"--nats-port={taken_port}")
        output = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            output.append(line)
            if "Press Ctrl-C to stop" in line or proc.poll() is not None:
                break
        text = "".join(output)
        try:
            assert "The Partnership Forum is running" in text, text
            assert f"Port {taken_port} is taken" in text
            for name, port in ports.items():
                assert f"http://127.0.0.1:{port}/" in text
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as resp:
                    assert json.load(resp)["status"] == "ready"
            assert "forum governors watch" in text
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)
    assert proc.returncode == 0
    assert (tmp_path / "var" / "feedback.db").exists()
    assert (tmp_path / "var" / "nats").is_dir()


def test_a_taken_service_port_gives_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "forum_shared.cli", "up", "--data", str(tmp_path / "var"), f"--feedback-port={port}"],
            capture_output=True, text=True, timeout=60,
        )
    assert proc.returncode == 2
    assert f"Port {port} is already in use" in proc.stderr
    assert f"--feedback-port {port + 100}" in proc.stderr

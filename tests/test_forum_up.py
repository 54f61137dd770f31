"""`forum up` (what `make up` runs): the whole forum starts with demo data, answers, and stops
cleanly on Ctrl-C."""

import http.cookiejar
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
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


def _mail_is_kept_and_shown(data, text, ports) -> None:
    assert f"every message is kept in {data / 'mail'}" in text
    for port in ports.values():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/dev/mail", timeout=5) as resp:
            assert resp.status == 200 and "Mail (development)" in resp.read().decode()


def test_forum_up_starts_every_service_with_its_own_nats_and_stops_on_ctrl_c(tmp_path):
    with socket.socket() as taken:  # NATS's usual port being taken must not matter
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        proc, ports = forum_up(tmp_path, f"--nats-port={taken_port}")
        output = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            output.append(line)
            if "Press Ctrl-C to stop" in line or proc.poll() is not None:
                break
        text = "".join(output)
        try:
            assert "The Partnership Forum is running" in text, text
            assert f"Port {taken_port} is taken" in text
            for port in ports.values():
                assert f"http://127.0.0.1:{port}/" in text
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=5) as resp:
                    assert json.load(resp)["status"] == "ready"
            assert 'make watch NAME="Your Name"' not in text  # not var/: the banner names the folder
            assert "forum governors watch --name" in text
            _the_demo_is_there(text, ports)
            _mail_is_kept_and_shown(tmp_path / "var", text, ports)
            _nats_has_an_account_per_organisation(tmp_path / "var", text)
            _a_governor_follows_escalations(tmp_path / "var")
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)
        after_the_banner = proc.stdout.read()
    assert proc.returncode == 0
    # The banner was the last thing printed while the forum ran (no per-event or error lines), and
    # stopping says so in one line.
    assert after_the_banner.strip() == "Stopping the forum …", after_the_banner
    assert "error" not in text.lower().replace("no error", ""), text
    # Nothing is logged per event or per email while the demo fills the forum.
    per_message = re.compile(r"\b(email sent|event (recorded|processed|published)|duplicate event)\b")
    assert not [line for line in output if per_message.search(line)], text
    assert (tmp_path / "var" / "feedback.db").exists()
    assert (tmp_path / "var" / "nats").is_dir()


def _nats_has_an_account_per_organisation(data, text: str) -> None:
    import asyncio

    import nats

    from forum_shared.federation.local import LocalFederation

    url = (data / "nats" / "url").read_text().strip()
    federation = LocalFederation(data / "nats")
    assert set(federation.topology.organisations) == {"TRUST", "SUN", "CHARITY"}

    async def check() -> None:
        try:
            await nats.connect(url, allow_reconnect=False, max_reconnect_attempts=0)
        except nats.errors.Error as exc:
            assert "Authorization Violation" in str(exc)
        else:
            raise AssertionError("an anonymous client connected to the forum's NATS")
        nc = await federation.connect(url, "admin-SUN")
        info = await nc.jetstream().stream_info("FEEDBACK")
        assert info.state.messages > 0
        await nc.close()

    asyncio.run(check())
    assert 'sync_interval: "always"' in (data / "nats" / "nats.conf").read_text()


def _a_governor_follows_escalations(data) -> None:
    """A governor new to this forum gets a key and a place, and the demo's escalations."""
    watcher = subprocess.Popen(
        [sys.executable, "-m", "forum_shared.cli", "governors", "watch", "--name", "Gita Holt", "--json",
         "--data", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = watcher.stdout.readline()
    finally:
        watcher.terminate()
        watcher.wait(10)
    assert line.startswith("{"), watcher.stderr.read()
    assert json.loads(line)["type"] in ("forum.feedback.issue_escalated.v1", "forum.feedback.escalation_overdue.v1")


def _the_demo_is_there(text: str, ports: dict[str, int]) -> None:
    """A first start fills the forum with demo data and prints accounts that can sign in."""
    assert "demo: feedback filled" in text and "Demo accounts" in text, text
    password = re.search(r"Password for all of them: (\S+)", text).group(1)
    base = f"http://127.0.0.1:{ports['signposting']}"
    with urllib.request.urlopen(f"{base}/find-a-group?where=PE1", timeout=10) as resp:
        assert "Peterborough Carers" in resp.read().decode()
    governor = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(governor))
    feedback = f"http://127.0.0.1:{ports['feedback']}"
    sign_in = opener.open(f"{feedback}/sign-in", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', sign_in).group(1)
    form = urllib.parse.urlencode({"email": "governor@forum.example", "password": password, "csrf_token": token})
    opener.open(f"{feedback}/sign-in", data=form.encode(), timeout=10)
    escalations = opener.open(f"{feedback}/governors/escalations", timeout=10).read().decode()
    assert "Open escalations" in escalations and "There are no open escalations" not in escalations


def test_a_taken_service_port_gives_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "forum_shared.cli", "up", "--data", str(tmp_path / "var"),
             f"--feedback-port={port}"],
            capture_output=True, text=True, timeout=60,
        )
    assert proc.returncode == 2
    assert f"Port {port} is already in use" in proc.stderr
    assert f"--feedback-port {port + 100}" in proc.stderr


def test_forum_demo_will_not_fill_a_forum_twice(tmp_path):
    data = tmp_path / "var"
    data.mkdir()
    (data / "demo-loaded").write_text("2026-11-27\n")
    proc = subprocess.run(
        [sys.executable, "-m", "forum_shared.cli", "demo", "--data", str(data)],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "has its demo data already" in proc.stderr


def test_a_port_whose_last_connection_is_still_closing_counts_as_free():
    """Restarting straight after Ctrl-C: the browser's connections to the old server linger in
    TIME_WAIT, which must not stop the new one."""
    from forum_shared.local import port_free

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server side closes first: its end waits in TIME_WAIT
        client.close()
        assert not port_free("127.0.0.1", port)  # still listening
    assert port_free("127.0.0.1", port)

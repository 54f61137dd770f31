"""What an erasure deletes leaves the SQLite files too: the free pages and the write-ahead log."""

from pathlib import Path

from sqlalchemy import delete, insert

from forum_shared.testing import wait_for

from .conftest import create_tables, make_kit, notes

SECRET = "Robin Quill 07700 900777"


def _on_disk(folder: Path) -> bool:
    return any(SECRET.encode() in path.read_bytes() for path in folder.glob("toy.db*"))


async def test_an_erased_row_is_gone_from_every_file_of_the_database(tmp_path):
    kit = make_kit(f"sqlite+aiosqlite:///{tmp_path / 'toy.db'}", "nats://127.0.0.1:1")
    await create_tables(kit.db)
    async with kit.db.transaction() as session:
        await session.execute(insert(notes).values(id="n1", text=SECRET))
        await session.execute(insert(notes).values(id="n2", text="kept"))  # the page stays in use
    async with kit.db.read() as session:  # a reader, as pages are while an erasure happens
        assert _on_disk(tmp_path)
        async with kit.db.transaction() as erasing:
            await erasing.execute(delete(notes).where(notes.c.id == "n1"))
            kit.db.forget_after_commit(erasing)
    await wait_for(lambda: not _on_disk(tmp_path), what="the erased text gone from toy.db, -wal and -shm")
    await kit.db.dispose()

"""Needs: the taxonomies (vocabularies) and their terms that services are tagged with and people
search by. Renaming a need refreshes the words its services are found by."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from forum_shared.audit import record_audit
from forum_shared.db import Database
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.unit_of_work import Work, unit_of_work
from signposting import domain
from signposting.hsds import Document
from signposting.records import DocumentsPage
from signposting.schemas.hsds import TaxonomyCreate, TaxonomyTermCreate
from signposting.service.editor import Editor
from signposting.service.writing import keep_history, new_id, row_of
from signposting.store import browse, directory, documents

# The forum's own vocabulary: needs staff add on the page belong to it, made the first time.
FORUM_NEEDS = "Partnership Forum needs"


@dataclass(frozen=True)
class NeedChoice:
    """A need to choose in a form: a narrower need is named under the need it belongs to."""

    id: str
    label: str
    nested: bool


async def save_taxonomy(work: Work, data: TaxonomyCreate, by: str) -> str:
    """Create a taxonomy, or replace it if its id is already in the directory; without a
    description (Open Referral UK requires one) it is said to be a vocabulary of needs."""
    tax_id = new_id(data.id)
    before = next(iter(await documents.taxonomies_of(work.session, [tax_id])), None)
    values = {**row_of(data), "description": data.description or domain.taxonomy_description(data.name)}
    await directory.write_taxonomy(work.session, tax_id, values, new=before is None)
    after = (await documents.taxonomies_of(work.session, [tax_id]))[0]
    await keep_history(work.session, "taxonomy", tax_id, before, after, by)
    return tax_id


async def save_taxonomy_term(work: Work, data: TaxonomyTermCreate, by: str) -> str:
    """Create a need, or replace it if its id is already in the directory (without a description,
    which Open Referral UK requires, it is "Help with …"); `Invalid` if its taxonomy is not there."""
    session = work.session
    term_id = new_id(data.id)
    before = next(iter(await documents.terms_of(session, [term_id])), None)
    values = {**row_of(data), "description": data.description or domain.need_description(data.name)}
    if data.taxonomy_id is not None:
        found = await documents.taxonomies_of(session, [str(data.taxonomy_id)])
        if not found:
            raise Invalid(f"There is no taxonomy with id {data.taxonomy_id}: add the taxonomy first.")
        values["taxonomy"] = values.get("taxonomy") or found[0]["name"]
    await directory.write_term(session, term_id, values, new=before is None)
    after = (await documents.terms_of(session, [term_id]))[0]
    changes = await keep_history(session, "taxonomy_term", term_id, before, after, by)
    if before is not None and "name" in changes:
        await directory.refresh_search_index(session, await directory.service_ids_with_term(session, term_id))
    return term_id


async def add_taxonomy(db: Database, editor: Editor, data: TaxonomyCreate) -> Document:
    """Add a taxonomy (`Conflict` if its id is taken)."""
    async with unit_of_work(db, editor.user, "directory.taxonomy_added") as work:
        if data.id is not None and await directory.exists(work.session, "taxonomy", str(data.id)):
            raise Conflict(f"There is already a taxonomy with id {data.id}: change it with PATCH instead.")
        taxonomy_id = await save_taxonomy(work, data, editor.name)
        work.audit("directory.taxonomy_added", f"taxonomy:{taxonomy_id}")
        return (await documents.taxonomies_of(work.session, [taxonomy_id]))[0]


async def add_taxonomy_term(db: Database, editor: Editor, data: TaxonomyTermCreate) -> Document:
    """Add a need (`Conflict` if its id is taken, `Invalid` if its taxonomy is not there)."""
    async with unit_of_work(db, editor.user, "directory.need_added") as work:
        if data.id is not None and await directory.exists(work.session, "taxonomy term", str(data.id)):
            raise Conflict(f"There is already a taxonomy term with id {data.id}: change it with PATCH instead.")
        term_id = await save_taxonomy_term(work, data, editor.name)
        work.audit("directory.need_added", f"taxonomy_term:{term_id}")
        return (await documents.terms_of(work.session, [term_id]))[0]


async def add_forum_need(db: Database, editor: Editor, data: TaxonomyTermCreate) -> str:
    """Add a need to the forum's own vocabulary (made, and audited, the first time it is needed)."""
    async with unit_of_work(db, editor.user, "directory.need_added") as work:
        taxonomy_id = await directory.taxonomy_named(work.session, FORUM_NEEDS)
        if taxonomy_id is None:
            about = TaxonomyCreate(name=FORUM_NEEDS, description="What people ask the forum for help with.")
            taxonomy_id = await save_taxonomy(work, about, editor.name)
            # Two changes in one transaction: the vocabulary's own entry, beside the need's below.
            await record_audit(work.session, editor.user, "directory.taxonomy_added", f"taxonomy:{taxonomy_id}")
        term = data.model_copy(update={"taxonomy_id": uuid.UUID(taxonomy_id)})
        term_id = await save_taxonomy_term(work, term, editor.name)
        work.audit("directory.need_added", f"taxonomy_term:{term_id}")
        return term_id


async def need_choices(db: Database) -> list[NeedChoice]:
    """Needs to choose from, by name: each need, with its narrower needs listed under it."""
    async with db.read() as session:
        rows = await browse.need_choices(session)
    top = [(term_id, name) for term_id, name, parent_id in rows if parent_id is None]
    choices: list[NeedChoice] = []
    for parent_id, parent_name in top:
        choices.append(NeedChoice(parent_id, parent_name, False))
        choices += [
            NeedChoice(term_id, f"{parent_name}: {name}", True) for term_id, name, under in rows if under == parent_id
        ]
    listed = {c.id for c in choices}
    # A need under one that is not there (say, a feed's) is still offered, by its own name.
    choices += [NeedChoice(term_id, name, False) for term_id, name, _ in rows if term_id not in listed]
    return choices


async def taxonomies_page(db: Database, page_number: int, per_page: int) -> DocumentsPage:
    """A page of the taxonomies, by name."""
    async with db.read() as session:
        total = await browse.taxonomy_count(session)
        ids = await browse.taxonomy_page(session, (page_number - 1) * per_page, per_page)
        return DocumentsPage(await documents.taxonomies_of(session, ids), total, page_number, per_page)


async def taxonomy(db: Database, taxonomy_id: str) -> Document:
    """One taxonomy; `NotFound` if there is none."""
    async with db.read() as session:
        found = await documents.taxonomies_of(session, [taxonomy_id])
    if not found:
        raise NotFound(f"There is no taxonomy with id {taxonomy_id}.")
    return found[0]


async def terms_page(
    db: Database,
    page_number: int,
    per_page: int,
    *,
    search: str | None = None,
    taxonomy_id: str | None = None,
    parent_id: str | None = None,
    top_only: bool = False,
) -> DocumentsPage:
    """A page of needs, by name: of a taxonomy, under a need, only the broadest, or by words."""
    conds = browse.terms_matching(search, taxonomy_id, parent_id, top_only)
    async with db.read() as session:
        total = await browse.term_count(session, conds)
        ids = await browse.term_page(session, conds, (page_number - 1) * per_page, per_page)
        return DocumentsPage(await documents.terms_of(session, ids), total, page_number, per_page)


async def term(db: Database, term_id: str) -> Document:
    """One need; `NotFound` if there is none."""
    async with db.read() as session:
        found = await documents.terms_of(session, [term_id])
    if not found:
        raise NotFound(f"There is no taxonomy term with id {term_id}.")
    return found[0]

"""Pages of the directory as it is browsed: organisations (the one organisation search, for the
open API and the staff pages alike), taxonomies and needs (taxonomy terms)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting import domain
from signposting.domain import CommunityGroupStatus
from signposting.records import OrganizationSummary
from signposting.store.tables import organizations, services, taxonomies, taxonomy_terms


def contains(word: str) -> str:
    """A LIKE pattern for text containing `word`, with LIKE's own wildcards taken literally
    (use with `escape="\\\\"`)."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def organizations_matching(search: str | None) -> list[ColumnElement[bool]]:
    """Organisations whose name or description holds every word of `search`."""
    description = func.lower(func.coalesce(organizations.c.description, ""))
    return [
        or_(func.lower(organizations.c.name).like(contains(w), escape="\\"), description.like(contains(w), escape="\\"))
        for w in domain.words_of(search or "")
    ]


async def count(session: AsyncSession, query: Select[tuple[str]]) -> int:
    return int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)


async def organization_count(session: AsyncSession, search: str | None) -> int:
    return await count(session, select(organizations.c.id).where(*organizations_matching(search)))


async def organization_page(
    session: AsyncSession, search: str | None, offset: int, limit: int
) -> list[OrganizationSummary]:
    """A page of the organisations matching `search`, by name, with how many services each runs."""
    counts = select(services.c.organization_id, func.count().label("n")).group_by(services.c.organization_id).subquery()
    rows = (
        await session.execute(
            select(
                organizations.c.id,
                organizations.c.name,
                organizations.c.community_group,
                organizations.c.community_status,
                organizations.c.verified_on,
                func.coalesce(counts.c.n, 0).label("services"),
            )
            .outerjoin(counts, counts.c.organization_id == organizations.c.id)
            .where(*organizations_matching(search))
            .order_by(organizations.c.name, organizations.c.id)
            .offset(offset)
            .limit(limit)
        )
    ).all()
    return [
        OrganizationSummary(
            id=row.id,
            name=row.name,
            community_group=bool(row.community_group),
            community_status=CommunityGroupStatus(row.community_status) if row.community_status else None,
            verified_on=row.verified_on,
            services=int(row.services),
        )
        for row in rows
    ]


async def taxonomy_count(session: AsyncSession) -> int:
    return await count(session, select(taxonomies.c.id))


async def taxonomy_page(session: AsyncSession, offset: int, limit: int) -> list[str]:
    query = select(taxonomies.c.id).order_by(taxonomies.c.name, taxonomies.c.id).offset(offset).limit(limit)
    return list((await session.execute(query)).scalars())


def terms_matching(
    search: str | None, taxonomy_id: str | None, parent_id: str | None, top_only: bool
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        func.lower(taxonomy_terms.c.name).like(contains(w), escape="\\") for w in domain.words_of(search or "")
    ]
    if taxonomy_id:
        conds.append(taxonomy_terms.c.taxonomy_id == taxonomy_id)
    if parent_id:
        conds.append(taxonomy_terms.c.parent_id == parent_id)
    if top_only:
        conds.append(taxonomy_terms.c.parent_id.is_(None))
    return conds


async def term_count(session: AsyncSession, conds: list[ColumnElement[bool]]) -> int:
    return await count(session, select(taxonomy_terms.c.id).where(*conds))


async def term_page(session: AsyncSession, conds: list[ColumnElement[bool]], offset: int, limit: int) -> list[str]:
    query = (
        select(taxonomy_terms.c.id)
        .where(*conds)
        .order_by(taxonomy_terms.c.name, taxonomy_terms.c.id)
        .offset(offset)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def need_choices(session: AsyncSession) -> list[tuple[str, str, str | None]]:
    """Every need (taxonomy term): id, name and the need it is under, by name."""
    rows = await session.execute(
        select(taxonomy_terms.c.id, taxonomy_terms.c.name, taxonomy_terms.c.parent_id).order_by(taxonomy_terms.c.name)
    )
    return [(row.id, row.name, row.parent_id) for row in rows]

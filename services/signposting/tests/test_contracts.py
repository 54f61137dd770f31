"""The service's words agree with each other: the domain's enums with what the API accepts and
the events carry, and its areas with the forum's one list of districts."""

from inspect import signature
from typing import get_args

from forum_shared.areas import DISTRICTS
from forum_shared.events.signposting import CommunityGroupRegistered, SignpostingGiven
from signposting import domain
from signposting.api.oruk import service_query
from signposting.schemas.community_groups import CommunityGroupPublic
from signposting.schemas.directory import ChangePublic, ListingPublic
from signposting.schemas.services import Status


def test_the_service_statuses_the_api_accepts_are_the_domains():
    assert set(get_args(Status)) == {s.value for s in domain.ServiceStatus}
    assert get_args(signature(service_query).parameters["status"].annotation) == (domain.ServiceStatus, type(None))


def test_the_public_models_carry_the_domains_enums():
    assert CommunityGroupPublic.model_fields["status"].annotation is domain.CommunityGroupStatus
    assert ListingPublic.model_fields["kind"].annotation is domain.ListingKind
    assert ChangePublic.model_fields["last_action_type"].annotation is domain.ChangeKind


def test_the_events_carry_ids_and_areas_and_nothing_that_names_a_person():
    assert set(CommunityGroupRegistered.model_fields) == {"community_group_id", "name", "areas"}
    assert set(SignpostingGiven.model_fields) == {"signposting_id", "given_at", "area", "needs", "service_ids"}


def test_every_postcode_district_lies_in_one_of_the_forums_districts():
    assert {code.district for code in domain.outward_codes().values()} <= set(DISTRICTS)
    assert {domain.key(d) for d in DISTRICTS} == set(domain.districts())
    assert all(domain.districts()[domain.key(d)] for d in DISTRICTS)  # each has postcode districts

"""What the JSON API accepts (`…Create`, `…Update`) and returns (`…Public`), one module per part
of the job. The pages read their forms into the same models, so the rules are written once."""

from membership.schemas.involvement import EntryCreate, EntryPublic, RoleTotalPublic, StatementPublic
from membership.schemas.members import (
    ConsentAnswer,
    ConsentPublic,
    ConsentPurposePublic,
    ErasurePublic,
    JoiningPublic,
    MemberChoicesPublic,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
)
from membership.schemas.organisations import (
    OrganisationCreate,
    OrganisationPublic,
    RepresentativeCreate,
    RepresentativePublic,
)
from membership.schemas.reports import CountPublic, DiversityPublic
from membership.schemas.roles import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentPublic,
    ChatArrange,
    InterestCreate,
    InterestFromMember,
    InterestOnJoining,
    InterestPublic,
    RoleCreate,
    RolePublic,
)
from membership.schemas.sign_in import MemberPassKeyPublic, SignInLinkRequest

__all__ = [
    "AssignmentCreate",
    "AssignmentEnd",
    "AssignmentPublic",
    "ChatArrange",
    "ConsentAnswer",
    "ConsentPublic",
    "ConsentPurposePublic",
    "CountPublic",
    "DiversityPublic",
    "EntryCreate",
    "EntryPublic",
    "ErasurePublic",
    "InterestCreate",
    "InterestFromMember",
    "InterestOnJoining",
    "InterestPublic",
    "JoiningPublic",
    "MemberChoicesPublic",
    "MemberCreate",
    "MemberPassKeyPublic",
    "MemberPublic",
    "MemberUpdate",
    "OrganisationCreate",
    "OrganisationPublic",
    "RepresentativeCreate",
    "RepresentativePublic",
    "RoleCreate",
    "RolePublic",
    "RoleTotalPublic",
    "SignInLinkRequest",
    "StatementPublic",
]

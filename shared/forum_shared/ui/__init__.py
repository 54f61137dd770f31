"""Pages for people: shared templates and stylesheet, sign-in and roles, audit log, security.

Every service gets this from `ServiceKit.create_app` without asking: sign-in and sign-out pages
(`/sign-in`, `/sign-out`, `/account/password`), account and API-token management for
administrators (`/admin/accounts`, `/admin/tokens`, and JSON at `/accounts`, `/api-tokens`), the
audit log for staff (`/audit`, JSON at `/audit-log`), dead letters for staff to read and process again
(`/staff/dead-letters`, JSON at `/dead-letters`), 403/404/500 pages for browsers and JSON for
programs (by the Accept header), security headers, CSRF checks on every form, a request size
limit, and a plain start page at `/` until the service adds its own. Pages work without JavaScript.

Adding pages to a service
-------------------------
1. Give the kit your templates folder (searched before the shared one) and header links::

       kit = ServiceKit(..., templates=Path(__file__).parent / "templates",
                        nav=[NavItem("Give feedback", "/give-feedback"),
                             NavItem("Triage", "/staff/feedback", roles=("staff", "admin"))])
       app = kit.create_app([api.router, pages.router])    # include pages here to own "/"

   An optional `static=` folder is served at `/static/service/…`; the shared stylesheet is
   `/static/kit/forum.css` and is already in the base layout.

2. A template extends the base layout and fills its blocks (`title`, `content`; optionally
   `before_content` for a back link or breadcrumbs, `nav` to replace the header links)::

       {% extends "kit/base.html" %}
       {% from "kit/forms.html" import error_summary, text_input, textarea, radios, checkboxes,
                                       select, button %}
       {% from "kit/components.html" import notification_banner, summary_list, table, pagination %}
       {% block title %}Give feedback{% endblock %}
       {% block content %}
         {{ error_summary(form) }}
         <h1 class="forum-heading-xl">Give feedback</h1>
         <form method="post" novalidate>
           {{ csrf_field() }}
           {{ textarea(form, "text", "What would you like to tell us?", hint="Do not include names.") }}
           {{ radios(form, "area", "Which area is it about?", [("cambridge", "Cambridge"), …]) }}
           {{ button("Send feedback") }}
         </form>
       {% endblock %}

   Every template sees `user` (the signed-in Principal or None), `nav`, `csrf_token`, `notice`
   (a banner set by `notify` before a redirect), `csrf_field()` (the hidden CSRF input) and the
   filters `uk_time`, `uk_date`, `role_name`. Other macros in "kit/components.html":
   `inset`, `warning_callout`, `back_link`, `tag`, `button_link`. Pages are sent with
   `Cache-Control: no-store` (they may hold personal data); pass `headers={"Cache-Control": …}`
   to `render` for a public page that may be cached.

3. A route renders it with `render(request, "give_feedback.html", **context)`::

       from forum_shared.ui import Form, read_form, render, notify, rate_limit

       @router.get("/give-feedback", include_in_schema=False)
       async def give_feedback_page(request: Request):
           return render(request, "give_feedback.html", form=Form())

       @router.post("/give-feedback", include_in_schema=False,
                    dependencies=[Depends(rate_limit("public_form"))])
       async def give_feedback(request: Request, db: DbDep):
           form = await read_form(request, FeedbackCreate, {"text": "Enter what you want to tell us"})
           if not form.ok:
               return render(request, "give_feedback.html", form=form, status_code=422)
           await service.receive_feedback(db, form.data)  # a use case, in the unit of work
           return notify(RedirectResponse("/give-feedback/done", 303), request, "Thank you")

   `read_form` validates the posted form with the same pydantic model the JSON API uses and turns
   its errors into plain English ("Enter your email address"); pass `messages` to word them
   yourself, or `form.add_error(name, message)` for rules the model cannot check. The macros
   re-fill fields, show each error beside its field, and `error_summary(form)` links to them.
   `rate_limit("public_form")` limits anonymous posts per address (signed-in people are not
   limited); `rate_limit("sign_in")` is on the sign-in form already. For long lists,
   `page = Pagination.from_request(request, total, size=25)` gives `page.offset`/`page.size` for
   the query and `{{ pagination(page) }}` draws Previous/Next links that keep the other filters.

Protecting a route by role
--------------------------
Roles are "admin", "staff" and "governor"; API tokens may also be "partner" (a partner
organisation's program that may only send what partners send, e.g. `require_role("partner")` on
feedback's `/partner/feedback`). Use the ready-made annotations, or `require_role`::

    from forum_shared.ui import StaffUser, GovernorUser, AdminUser, SignedIn, MaybeSignedIn, require_role

    @router.get("/staff/feedback", include_in_schema=False)
    async def triage_page(request: Request, user: StaffUser): ...      # staff or admin

    @router.post("/escalations/{id}/acknowledge", response_model=EscalationPublic)
    async def acknowledge(id: str, user: Annotated[Principal, Depends(require_role("governor"))]): ...

The same dependency serves pages and JSON: a browser that is not signed in is sent to `/sign-in`
and brought back afterwards; a program gets 401 (send `Authorization: Bearer <token>`); the wrong
role gets 403 (a page for browsers, JSON otherwise). API tokens are made by administrators at
`/admin/tokens`, each with one role, and can be revoked at once. Routes without a role stay public.
`StaffUser` and `GovernorUser` also let administrators in; `require_role` lets in exactly the roles
named. `MaybeSignedIn` gives the Principal or None, for public pages that change when signed in.

Forms and CSRF
--------------
Every POST/PUT/PATCH/DELETE with a form body (and any from a signed-in browser that is not JSON)
must carry the CSRF token: put `{{ csrf_field() }}` inside every `<form method="post">`, or send the
`X-CSRF-Token` header from script. Without it the request is refused with a clear 403 page. JSON
requests and requests with an Authorization header need no token.

Recording an audit entry
------------------------
Every staff change runs in the kit's unit of work (`forum_shared.unit_of_work`), which writes its
audit entry in the same transaction as the change itself. `actor` is the Principal from the role
dependency (or "system" for automatic changes). Use ids in `target` and `details`, never names,
contact details or feedback text. Sign-ins, failed sign-ins,
sign-outs, account changes and token creation and revocation are audited by the kit, through the
same unit of work (its own use cases are in `forum_shared.use_cases`).

Settings (each service's prefix, e.g. FEEDBACK_…): SECRET_KEY (required outside development),
SESSION_LIFETIME_MINUTES, SESSION_IDLE_MINUTES, SIGN_IN_MAX_FAILURES, SIGN_IN_LOCKOUT_MINUTES,
SIGN_IN_RATE_LIMIT / _WINDOW_SECONDS, PUBLIC_FORM_RATE_LIMIT / _WINDOW_SECONDS, MAX_REQUEST_BYTES,
CONTENT_SECURITY_POLICY. The first administrator: `forum admin create --service feedback
--email … --name …` (asks for the password, or reads it with `--password-stdin`).
"""

from forum_shared.identity.principal import ROLES, Principal
from forum_shared.ui.auth import (
    AdminUser,
    GovernorUser,
    MaybeSignedIn,
    NotAllowed,
    SignedIn,
    StaffUser,
    current_principal,
    require_role,
)
from forum_shared.ui.forms import Form, read_form, validate_form
from forum_shared.ui.limits import rate_limit
from forum_shared.ui.negotiation import error_response, wants_html
from forum_shared.ui.pagination import Pagination
from forum_shared.ui.templating import NavItem, notify, render

__all__ = [
    "ROLES",
    "AdminUser",
    "Form",
    "GovernorUser",
    "MaybeSignedIn",
    "NavItem",
    "NotAllowed",
    "Pagination",
    "Principal",
    "SignedIn",
    "StaffUser",
    "current_principal",
    "error_response",
    "notify",
    "rate_limit",
    "read_form",
    "render",
    "require_role",
    "validate_form",
    "wants_html",
]

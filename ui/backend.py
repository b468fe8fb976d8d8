"""The UI's one door into Kickoff: a tenant-scoped wrapper over `assistant.service.KickoffService`.

Every call goes through the same service layer (and so the same store, transactions and audit trail)
as the HTTP API. The UI adds no state of its own: a page reload reads everything back from the store.
The UI acts as one tenant, found or created by name ("local" by default), because the page has no API
key to send; who may reach the page at all is decided in `ui.mount`.
"""

from __future__ import annotations

from assistant.charter import Charter
from assistant.domain import ItemId
from assistant.engine import AssistantTurn, TokenSink
from assistant.errors import InvalidInput
from assistant.gaps import Assessment
from assistant.playbook import Playbook, cached_playbook
from assistant.service import (
    CallCreate,
    CallEnded,
    CallEventPublic,
    CharterEditCreate,
    CharterVersionPublic,
    GapsPublic,
    InterviewCreate,
    InterviewPublic,
    InterviewStarted,
    KickoffCreate,
    KickoffPublic,
    KickoffService,
    KickoffSummary,
    Principal,
    SegmentCreate,
    SegmentResult,
    SessionPublic,
    StakeholderCreate,
)
from assistant.state import Stakeholder
from assistant.transcripts import Segment, parse_text

DEFAULT_TENANT = "local"


def local_principal(service: KickoffService, tenant: str = DEFAULT_TENANT) -> Principal:
    """The tenant the UI acts as: an existing one by that name, else a new one (its API key is discarded).

    Create it first with `kickoff tenant create local` to hold a key that reaches the same kickoffs over the API.
    """
    store = service.store
    for row in store.list_tenants():
        if row.name == tenant and not row.revoked:
            return Principal(tenant_id=row.id, tenant_name=row.name)
    try:
        row, _key = store.create_tenant(tenant)
    except InvalidInput:
        # Another worker created it between our read and write: use theirs.
        row = next(r for r in store.list_tenants() if r.name == tenant)
        if row.revoked:
            raise InvalidInput(f"The UI's tenant {tenant!r} is revoked; pick another with KICKOFF_UI_TENANT.") from None
    return Principal(tenant_id=row.id, tenant_name=row.name)


class UiBackend:
    """Thin, typed calls the UI's event handlers make; all of them are service-layer calls."""

    def __init__(self, service: KickoffService, tenant: str = DEFAULT_TENANT) -> None:
        self.service = service
        self.tenant = tenant
        self._principal: Principal | None = None

    @property
    def principal(self) -> Principal:
        # Resolved on first use, not at mount time, so building the app never writes to the store.
        if self._principal is None:
            self._principal = local_principal(self.service, self.tenant)
        return self._principal

    @property
    def book(self) -> Playbook:
        """The checklist vocabulary (item, role and risk titles) for labels."""
        return cached_playbook(self.service.settings.knowledge_dir)

    # ---- kickoffs and stakeholders

    def list_kickoffs(self) -> list[KickoffSummary]:
        return self.service.list_kickoffs(self.principal, limit=200)

    def create_kickoff(self, title: str, brief: str) -> KickoffPublic:
        return self.service.create_kickoff(self.principal, KickoffCreate(title=title.strip(), brief=brief.strip()))

    def kickoff(self, kickoff_id: str) -> KickoffPublic:
        return self.service.get_kickoff(self.principal, kickoff_id)

    def add_stakeholder(self, kickoff_id: str, name: str, title: str) -> Stakeholder:
        data = StakeholderCreate(name=name.strip(), title=title.strip() or None)
        return self.service.add_stakeholder(self.principal, kickoff_id, data)

    # ---- interviews

    def start_interview(self, kickoff_id: str, stakeholder: str) -> InterviewStarted:
        return self.service.start_interview(self.principal, kickoff_id, InterviewCreate(stakeholder=stakeholder))

    def interview(self, kickoff_id: str, interview_id: str) -> InterviewPublic:
        return self.service.get_interview(self.principal, kickoff_id, interview_id)

    def send(self, kickoff_id: str, interview_id: str, text: str, on_token: TokenSink | None = None) -> AssistantTurn:
        """The stakeholder's message and the assistant's committed turn. `on_token` sees a model-written
        answer's draft as it is written (on the thread running `send`, before the turn is committed)."""
        turn, _replayed = self.service.post_message(self.principal, kickoff_id, interview_id, text, on_token=on_token)
        return turn

    def end_interview(self, kickoff_id: str, interview_id: str) -> AssistantTurn:
        return self.service.end_interview(self.principal, kickoff_id, interview_id)

    # ---- live panels

    def assessment(self, kickoff_id: str) -> Assessment:
        return self.service.assessment(self.principal, kickoff_id)

    def gaps(self, kickoff_id: str) -> GapsPublic:
        return self.service.gaps(self.principal, kickoff_id)

    # ---- live calls

    def start_call(self, kickoff_id: str, title: str = "") -> SessionPublic:
        return self.service.start_call(self.principal, kickoff_id, CallCreate(title=title.strip()))

    def add_segment(self, kickoff_id: str, call_id: str, seg: Segment) -> SegmentResult:
        """One transcript segment, exactly as the API's segment endpoint applies it."""
        data = SegmentCreate(speaker=seg.speaker, text=seg.text, start=seg.start, end=seg.end, id=seg.id)
        return self.service.add_segment(self.principal, kickoff_id, call_id, data)

    def call_events(self, kickoff_id: str, call_id: str) -> list[CallEventPublic]:
        """The call's stored feed events, oldest first."""
        events, _ended = self.service.call_events(self.principal, kickoff_id, call_id)
        return events

    def last_suggestion(self, kickoff_id: str, call_id: str) -> dict[str, object] | None:
        """The call's most recent `suggestion` event: the question the engine last proposed, with why."""
        events, _ended = self.service.call_events(self.principal, kickoff_id, call_id)
        for event in reversed(events):
            if event.kind == "suggestion":
                return event.data
        return None

    def end_call(self, kickoff_id: str, call_id: str) -> CallEnded:
        return self.service.end_call(self.principal, kickoff_id, call_id)

    # ---- charter

    def charter(self, kickoff_id: str) -> Charter:
        return self.service.charter(self.principal, kickoff_id)

    def charter_markdown(self, kickoff_id: str) -> str:
        return self.service.charter_markdown(self.principal, kickoff_id)

    def charter_docx(self, kickoff_id: str) -> bytes:
        return self.service.charter_docx(self.principal, kickoff_id)

    def charter_versions(self, kickoff_id: str) -> list[CharterVersionPublic]:
        return self.service.charter_versions(self.principal, kickoff_id)

    def edit_charter(self, kickoff_id: str, author: str, section: ItemId, text: str, note: str = "") -> Charter:
        data = CharterEditCreate(author=author.strip(), sections={section: text.strip()}, note=note.strip())
        return self.service.edit_charter(self.principal, kickoff_id, data)


def parse_segments(text: str) -> list[Segment]:
    """Pasted transcript lines (`Speaker: text`, optionally `[mm:ss]`-stamped) as segments."""
    if not text.strip():
        raise InvalidInput("Paste or type at least one line as 'Speaker: what they said'.")
    return parse_text(text, ".txt", source="pasted lines")

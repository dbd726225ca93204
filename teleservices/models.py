"""Téléservices (the catalogue and their forms, frozen as versions) and cases (a citizen's request)."""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Func, OuterRef, Q, Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from gru.workdays import add_working_days, working_days_between
from portal.models import HouseholdMember
from teleservices.stages import stage_of
from teleservices.workflows import Status, Transition, Workflow
from vault.files import FileType

if TYPE_CHECKING:
    from portal.models import User
    from teleservices.definition import FormDefinition

# French stemming without accents (migration 0001 creates it): "etat civil" finds "État civil".
SEARCH_CONFIG = "french_unaccent"
KEYWORDS_HELP = _(
    "Words citizens may use to look for it, separated by commas or one per line: synonyms, everyday words, common "
    "misspellings (for example: nid-de-poule, trou, chaussée abîmée, route)."
)


class Unaccented(Func):
    """Lower case text without accents, for trigram matching; immutable (migration 0012 creates the function), so
    generated columns and indexes may use it."""

    function = "immutable_unaccent"
    output_field = models.TextField()

    def __init__(self, expression: Any) -> None:
        super().__init__(Lower(expression))


class CategoryQuerySet(models.QuerySet["Category"]):
    def offered(self) -> CategoryQuerySet:
        """Categories with at least one published téléservice."""
        return self.filter(Exists(Teleservice.objects.published().filter(category=OuterRef("pk"))))


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("identifier"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The citizens' search (teleservices/search.py): French words, and the name for misspellings.
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_text = models.GeneratedField(expression=Unaccented("name"), output_field=models.TextField(), db_persist=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        indexes = [
            GinIndex(fields=["search_vector"], name="category_search"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="category_trigrams"),
        ]

    def __str__(self) -> str:
        return self.name


class TeleserviceQuerySet(models.QuerySet["Teleservice"]):
    def published(self) -> TeleserviceQuerySet:
        return self.filter(is_published=True, current_version__isnull=False)

    def search(self, text: str) -> TeleserviceQuerySet:
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return self.filter(search_vector=query).annotate(rank=SearchRank("search_vector", query)).order_by("-rank")


def _default_workflow() -> int:
    return Workflow.objects.default().pk


class Teleservice(models.Model):
    """An online procedure of the catalogue; its form is edited here and frozen into versions when published."""

    class Silence(models.TextChoices):
        NOTHING = "", _("Nothing (the deadline is indicative)")
        ACCEPTANCE = "acceptance", _("Silence means acceptance")
        REJECTION = "rejection", _("Silence means rejection")

    class Audience(models.TextChoices):
        ACCOUNT = "account", _("Anyone with an account")
        FRANCECONNECT = "franceconnect", _("Citizens identified with FranceConnect only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier in addresses"), max_length=100, unique=True)
    summary = models.CharField(_("short description"), max_length=300)
    description = models.TextField(
        _("what to know before starting"), blank=True, help_text=_("Shown on the start page: documents to prepare…")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="teleservices")
    department = models.ForeignKey(
        "gru.Department",
        on_delete=models.PROTECT,
        related_name="teleservices",
        verbose_name=_("instructing department"),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.ACCOUNT)
    opens_at = models.DateTimeField(_("opening"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closing"), null=True, blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("processing deadline (working days)"),
        default=20,
        help_text=_("Counted from submission, public holidays excluded, paused while waiting for the citizen."),
    )
    workflow = models.ForeignKey(
        Workflow,
        on_delete=models.PROTECT,
        related_name="teleservices",
        verbose_name=_("instruction workflow"),
        default=_default_workflow,
    )
    silence = models.CharField(
        _("when the deadline passes without a decision"), max_length=10, choices=Silence.choices, default="", blank=True
    )
    silence_transition = models.ForeignKey(
        Transition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action applied automatically"),
        help_text=_("An action of the workflow, applied when the deadline passes (silence vaut accord ou rejet)."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("time to fill in (minutes)"),
        null=True,
        blank=True,
        help_text=_("Shown on the start page as an estimate (“About 10 minutes”); empty: not shown."),
    )
    asks_certification = models.BooleanField(
        _("ask the citizen to certify their answers"),
        default=False,
        help_text=_("A required box “I certify that the information is accurate” before sending."),
    )
    draft_lifetime_days = models.PositiveSmallIntegerField(_("draft lifetime (days)"), default=30)
    retention_months = models.PositiveSmallIntegerField(_("retention (months)"), default=24)
    is_published = models.BooleanField(_("published"), default=False)
    current_version = models.ForeignKey(
        "FormVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    keywords = models.TextField(_("keywords and synonyms"), blank=True, help_text=KEYWORDS_HELP)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("keywords", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_text = models.GeneratedField(
        expression=Unaccented(Concat("title", Value(" "), "keywords", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = TeleserviceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "search_text"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("online procedure")
        verbose_name_plural = _("online procedures")
        indexes = [
            GinIndex(fields=["search_vector"], name="teleservice_search"),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="teleservice_trigrams"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="teleservice_closes_after_opening",
                violation_error_message=_("The closing must come after the opening."),
            ),
            models.CheckConstraint(
                condition=Q(silence="", silence_transition__isnull=True)
                | (~Q(silence="") & Q(silence_transition__isnull=False)),
                name="teleservice_silence_has_transition",
                violation_error_message=_("Choose the action applied when the deadline passes, and only then."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("teleservices:start", args=[self.slug])

    def clean(self) -> None:
        transition = self.silence_transition
        if transition is not None and transition.workflow_id != self.workflow_id:
            raise ValidationError({"silence_transition": _("This action belongs to another workflow.")})

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (self.closes_at is None or now < self.closes_at)

    def accepts(self, user: User) -> bool:
        """Whether this citizen may file it (the audience)."""
        return self.audience == self.Audience.ACCOUNT or user.is_identity_certified


class Field(models.Model):
    """One element of a téléservice's form being edited; page breaks start pages (frozen into a FormVersion)."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page break (starts a page)")
        TITLE = "title", _("Section title")
        INFO = "info", _("Information text")
        TEXT = "text", _("Short text")
        TEXTAREA = "textarea", _("Long text")
        EMAIL = "email", _("Email address")
        PHONE = "phone", _("French phone number")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        DATE = "date", _("Date")
        BOOLEAN = "boolean", _("Yes / no")
        CHOICE = "choice", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        ADDRESS = "address", _("French address")
        FILE = "file", _("File")
        IBAN = "iban", _("IBAN")
        SIRET = "siret", _("SIRET number")
        MEMBERS = "members", _("Household member(s)")
        BLOCK = "block", _("Repeatable block")

    class DateBounds(models.TextChoices):
        ANY = "any", _("Any date")
        PAST = "past", _("Today or earlier")
        FUTURE = "future", _("Today or later")

    class ChoiceDisplay(models.TextChoices):
        RADIO = "radio", _("Buttons")
        LIST = "list", _("Drop-down list")

    class MemberFilter(models.TextChoices):
        ALL = "all", _("Every member")
        ADULTS = "adults", _("Adults (18 and over)")
        MINORS = "minors", _("Children under 18")

    class Prefill(models.TextChoices):
        NONE = "", _("Nothing")
        FIRST_NAME = "first_name", _("First name")
        LAST_NAME = "last_name", _("Family name")
        EMAIL = "email", _("Email address")
        PHONE = "phone", _("Phone")
        BIRTH_DATE = "birth_date", _("Date of birth")
        ADDRESS = "address", _("Household address")

    teleservice = models.ForeignKey(Teleservice, on_delete=models.CASCADE, related_name="fields")
    block = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": "block"},
        verbose_name=_("in the repeatable block"),
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    key = models.SlugField(
        _("identifier"),
        max_length=50,
        blank=True,
        help_text=_("Lower case letters, digits and _: used by conditions, letters and exports."),
    )
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    condition = models.JSONField(_("shown only if"), default=dict, blank=True)
    # Options, each used by some types only.
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    pattern = models.CharField(_("regular expression"), max_length=200, blank=True)
    pattern_message = models.CharField(_("message when the expression does not match"), max_length=200, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=4, null=True, blank=True)
    date_bounds = models.CharField(_("dates allowed"), max_length=10, choices=DateBounds.choices, default="any")
    after = models.SlugField(
        _("on or after the date of"),
        max_length=50,
        blank=True,
        help_text=_(
            "Identifier of an earlier date question (the start of a period, for its end): the date given here cannot "
            "be before it."
        ),
    )
    notice_days = models.PositiveSmallIntegerField(
        _("notice period (days)"),
        null=True,
        blank=True,
        help_text=_("The date must be at least this many days after the day the request is filled in."),
    )
    choices = models.TextField(
        _("options"), blank=True, help_text=_("One per line, as “identifier | label” or just the label.")
    )
    choice_display = models.CharField(_("display"), max_length=10, choices=ChoiceDisplay.choices, default="radio")
    min_choices = models.PositiveSmallIntegerField(_("minimum selections"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("maximum selections"), null=True, blank=True)
    file_types = ArrayField(
        models.CharField(max_length=10, choices=FileType.choices),
        verbose_name=_("accepted files"),
        default=list,
        blank=True,
    )
    max_size_mb = models.PositiveSmallIntegerField(_("maximum size (MB)"), default=10)
    document_type = models.ForeignKey(
        "vault.DocumentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("type of document of the vault"),
        help_text=_(
            "Offers “Choose from my documents” (the valid ones of this type) and files new uploads into the citizen's "
            "vault."
        ),
    )
    document_member = models.SlugField(
        _("document about the member chosen in"),
        max_length=50,
        blank=True,
        help_text=_("Identifier of an earlier household-member question; empty: the document is about the applicant."),
    )
    member_filter = models.CharField(_("members offered"), max_length=10, choices=MemberFilter.choices, default="all")
    multiple_members = models.BooleanField(_("several members may be chosen"), default=False)
    min_rows = models.PositiveSmallIntegerField(_("minimum rows"), null=True, blank=True)
    max_rows = models.PositiveSmallIntegerField(_("maximum rows"), null=True, blank=True)
    prefill = models.CharField(_("prefilled with"), max_length=20, choices=Prefill.choices, blank=True, default="")
    prefill_locked = models.BooleanField(_("prefilled value cannot be changed"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("form element")
        verbose_name_plural = _("form elements")
        constraints = [
            models.UniqueConstraint(
                fields=["teleservice", "key"],
                condition=~Q(key=""),
                name="field_key_unique_per_teleservice",
                violation_error_message=_("Another element of this form has this identifier."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.label}"


class EligibilityRule(models.Model):
    """A condition on the first page's answers that makes the citizen ineligible, with the explanation shown."""

    teleservice = models.ForeignKey(Teleservice, on_delete=models.CASCADE, related_name="eligibility_rules")
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    condition = models.JSONField(_("not eligible if"))
    message = models.TextField(_("explanation shown to the citizen"))

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self) -> str:
        return self.message[:80]


class FormVersion(models.Model):
    """A téléservice's form as it was published: cases keep the version they were filed with."""

    teleservice = models.ForeignKey(Teleservice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["teleservice", "-number"]
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        constraints = [models.UniqueConstraint(fields=["teleservice", "number"], name="form_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.teleservice} — v{self.number}"

    @property
    def form(self) -> FormDefinition:
        from teleservices.definition import FormDefinition

        return FormDefinition.from_dict(self.definition)


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to_citizen(self, user: User) -> CaseQuerySet:
        """The citizen's own requests and the submitted requests of their household; a draft an agent is filling in
        for them stays the agent's until it is submitted."""
        if not user.is_authenticated:
            return self.none()
        household = HouseholdMember.objects.household_id_of(user)
        submitted = Q(submitted_at__isnull=False)
        return self.filter(
            (Q(user=user) & (submitted | Q(filed_by__isnull=True))) | (Q(household=household) & submitted)
        )

    def drafts(self) -> CaseQuerySet:
        return self.filter(submitted_at__isnull=True)

    def resumable(self, user: User, teleservice: Teleservice) -> CaseQuerySet:
        """The citizen's own drafts of this téléservice for the household they are in now, the latest first: offered
        to resume before starting another."""
        if not user.is_authenticated:
            return self.none()
        current = HouseholdMember.objects.household_id_of(user)
        same_household = Q(household=models.F("current")) | Q(household__isnull=True, current__isnull=True)
        drafts = self.visible_to_citizen(user).drafts().filter(teleservice=teleservice)
        return drafts.alias(current=current).filter(same_household).order_by("-updated_at")

    def of_citizen(self, citizen: User) -> CaseQuerySet:
        """The requests of the citizen or of the citizen's household."""
        return self.filter(Q(user=citizen) | Q(household=HouseholdMember.objects.household_id_of(citizen)))

    def filed_by_agent(self, agent: User) -> CaseQuerySet:
        """The drafts an agent is filling in for citizens (multichannel intake)."""
        return self.drafts().filter(filed_by=agent)

    def opening_the_file(self) -> CaseQuerySet:
        """Requests that let their instructors see the citizen's household: filed by the citizen, or at the counter
        with the citizen's consent."""
        consented = CounterConsent.objects.granted().filter(case=models.OuterRef("pk"))
        return self.filter(Q(filed_by__isnull=True) | models.Exists(consented))

    def submitted(self) -> CaseQuerySet:
        return self.filter(submitted_at__isnull=False)

    def open(self) -> CaseQuerySet:
        """Submitted and not decided yet."""
        return self.submitted().filter(closed_at__isnull=True)

    def search(self, text: str) -> CaseQuerySet:
        return self.filter(search_vector=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch"))

    def answers_copy_missing(self, *, submitted_before: datetime.datetime, since: datetime.datetime) -> CaseQuerySet:
        """Requests submitted between `since` and `submitted_before` still without their copy of the answers."""
        return self.filter(submitted_at__gte=since, submitted_at__lt=submitted_before, answers_copy__isnull=True)


class Case(models.Model):
    """A citizen's request: a draft until submitted, then a case with a reference that agents instruct.

    Its status is a step of the téléservice's workflow (teleservices/workflows.py); drafts have none. The deadline
    counts working days from submission; while the case waits for the citizen it is paused (`deadline` empty, the
    working days left kept in `paused_days_left`)."""

    class Channel(models.TextChoices):
        WEB = "web", _("Online")
        COUNTER = "counter", _("At the counter")
        PHONE = "phone", _("By phone")
        MAIL = "mail", _("By post")
        EMAIL = "email", _("By email")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True, editable=False)
    teleservice = models.ForeignKey(Teleservice, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="cases")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("citizen"),
        help_text=_("Empty for a request filed by an agent for someone without an account."),
    )
    household = models.ForeignKey(
        "portal.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    applicant_first_name = models.CharField(_("first name"), max_length=150, blank=True)
    applicant_last_name = models.CharField(_("family name"), max_length=150, blank=True)
    applicant_email = models.EmailField(_("email address"), blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by the agent"),
    )
    status = models.ForeignKey(Status, on_delete=models.PROTECT, null=True, blank=True, related_name="cases")
    department = models.ForeignKey(
        "gru.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assigned to"),
    )
    data = models.JSONField(_("answers"), default=dict, blank=True)
    page = models.PositiveSmallIntegerField(default=0)
    files = models.ManyToManyField("vault.StoredFile", blank=True, related_name="cases")
    shared_documents = models.ManyToManyField(
        "vault.Document",
        blank=True,
        related_name="shared_for",
        verbose_name=_("documents shared for the request"),
        help_text=_("Documents of their vault the citizen chose to show to the department instructing the request."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    certified_at = models.DateTimeField(_("answers certified accurate on"), null=True, blank=True, editable=False)
    answers_copy = models.ForeignKey(
        "vault.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("copy of the answers (PDF)"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    paused_days_left = models.SmallIntegerField(null=True, blank=True, editable=False)
    resume_status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    draft_expires_at = models.DateTimeField(_("draft kept until"), null=True, blank=True)
    draft_reminded_at = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector(
            "reference", "applicant_last_name", "applicant_first_name", weight="A", config=SEARCH_CONFIG
        )
        + SearchVector("applicant_email", weight="B", config=SEARCH_CONFIG)
        + SearchVector("data", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["page", "updated_at", "search_vector"])

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["user", "submitted_at"], name="case_user_submitted"),
            models.Index(fields=["draft_expires_at"], condition=Q(submitted_at__isnull=True), name="case_draft_expiry"),
            # The task board: open cases by urgency, for a department or for everyone an agent sees.
            models.Index(
                fields=["department", "deadline", "submitted_at", "id"],
                condition=Q(submitted_at__isnull=False, closed_at__isnull=True),
                name="case_board_department",
            ),
            models.Index(
                fields=["assignee", "deadline", "submitted_at", "id"],
                condition=Q(submitted_at__isnull=False, closed_at__isnull=True),
                name="case_board_assignee",
            ),
            # The board's counts per status: read from the index alone.
            models.Index(
                fields=["department", "status", "id"],
                condition=Q(submitted_at__isnull=False, closed_at__isnull=True),
                name="case_open_status",
            ),
            GinIndex(fields=["search_vector"], name="case_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(reference__isnull=False, status__isnull=False),
                name="case_submitted_has_reference",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.teleservice} ({_('draft')})"

    def get_absolute_url(self) -> str:
        if self.is_draft:
            return reverse("teleservices:fill", args=[self.public_id, self.page + 1])
        return reverse("teleservices:case", args=[self.reference])

    @cached_property
    def counter_consent_granted(self) -> bool:
        """Whether the citizen agreed that the agent filing this request in their name sees their household and
        vault for it."""
        return self.counter_consents.granted().exists()

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def topic(self) -> str:
        """What its notifications are about (gru.notifications: the acknowledgement waits for its récépissé)."""
        return f"case:{self.pk}"

    @property
    def form(self) -> FormDefinition:
        return self.version.form

    @property
    def progress(self) -> tuple[int, int]:
        """Where a draft stands: the step it resumes at, among how many its answers show."""
        return self.form.step_of(self.data, self.page)

    @property
    def about(self) -> str:
        """The household members the request is about, if it asks (empty otherwise)."""
        return self.form.about(self.data)

    @property
    def citizen_status(self) -> str:
        return str(stage_of(self.status).label) if self.status else str(_("Draft"))

    @property
    def asks_certification(self) -> bool:
        """Whether the applicant certifies the answers before sending (not an agent filing it for them)."""
        return self.teleservice.asks_certification and self.filed_by_id is None

    @property
    def applicant_name(self) -> str:
        return f"{self.applicant_first_name} {self.applicant_last_name}".strip()

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user else self.applicant_email

    @property
    def awaits_citizen(self) -> bool:
        return self.resume_status_id is not None

    def enter_status(self, status: Status, now: datetime.datetime) -> list[str]:
        """Move to `status`: pause the deadline while it waits for the citizen, resume it after, close it when final.

        Returns the fields to save."""
        today = timezone.localdate(now)
        if status.waits_for_citizen and self.deadline is not None:
            self.paused_days_left = working_days_between(today, self.deadline)
            self.deadline = None
        elif not status.waits_for_citizen and self.paused_days_left is not None:
            self.deadline = add_working_days(today, self.paused_days_left)
            self.paused_days_left = None
        self.status = status
        self.closed_at = now if status.is_terminal else None
        return ["status", "deadline", "paused_days_left", "closed_at", "updated_at"]


class CaseShare(UserObjectPermissionBase):
    """django-guardian's object permission on a case, with a direct foreign key (fast joins)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    with_notes = models.BooleanField(
        _("internal notes shared too"),
        default=False,
        help_text=_("Without them, the agent asked for an opinion sees only the notes they wrote."),
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case shared with an agent")
        verbose_name_plural = _("cases shared with agents")


class CaseEvent(models.Model):
    """A line of a case's timeline; some kinds are for agents only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Request submitted")
        STATUS_CHANGED = "status_changed", _("Status changed")
        MESSAGE = "message", _("Message")
        COMPLETED = "completed", _("Request completed by the citizen")
        ASSIGNED = "assigned", _("Assigned")
        SHARED = "shared", _("Shared for an opinion")
        DEADLINE_PASSED = "deadline_passed", _("Deadline passed without a decision")
        LETTER = "letter", _("Letter sent")

    CITIZEN_KINDS = [
        Kind.SUBMITTED,
        Kind.STATUS_CHANGED,
        Kind.MESSAGE,
        Kind.COMPLETED,
        Kind.DEADLINE_PASSED,
        Kind.LETTER,
    ]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.ForeignKey(Status, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.TextField(blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case} — {self.get_kind_display()}"

    @property
    def citizen_status(self) -> str:
        return str(stage_of(self.status).label) if self.status else ""


class Message(models.Model):
    """A message of the thread between the citizen and the agents about one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_agent = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    attachments = models.ManyToManyField("vault.StoredFile", blank=True, related_name="messages")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "created_at"], name="message_thread")]

    def __str__(self) -> str:
        return f"{self.case} — {self.created_at:%d/%m/%Y %H:%M}"


COUNTER_CONSENT_VALIDITY = datetime.timedelta(minutes=10)
COUNTER_CONSENT_ATTEMPTS = 5


class CounterConsentQuerySet(models.QuerySet["CounterConsent"]):
    def granted(self) -> CounterConsentQuerySet:
        return self.filter(granted_at__isnull=False)


class CounterConsent(models.Model):
    """A citizen's agreement, by a one-time code sent to them, that the agent filing a request in their name at the
    counter sees their household and the documents of their vault for that request. Without it the agent works from
    the papers the citizen brought. Each row also records who asked and when the citizen agreed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="counter_consents")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    granted_at = models.DateTimeField(null=True, blank=True)

    objects = CounterConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen's consent at the counter")
        verbose_name_plural = _("citizens' consents at the counter")

    def __str__(self) -> str:
        return f"{self.case} — {self.agent}"

    @property
    def expires_at(self) -> datetime.datetime:
        return self.created_at + COUNTER_CONSENT_VALIDITY

    def is_open(self, now: datetime.datetime) -> bool:
        """Whether the code may still be typed: not used, not expired, not tried too often."""
        return self.granted_at is None and now < self.expires_at and self.attempts < COUNTER_CONSENT_ATTEMPTS

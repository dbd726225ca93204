"""factory_boy factories for the models tests build most."""

import datetime

import factory
from allauth.account.models import EmailAddress

from gru.models import Department, Membership, Organisation
from portal.models import Household, HouseholdMember, User

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = "Ville de Beaulieu-sur-Loire"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("organisation", "slug")

    organisation = factory.LazyFunction(lambda: Organisation.objects.first() or OrganisationFactory())
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Camille"
    last_name = "Petit"
    birth_date = datetime.date(1990, 5, 17)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    street = "12 rue des Tilleuls"
    postcode = "45630"
    city = "Beaulieu-sur-Loire"


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Léa"
    last_name = "Martin"
    birth_date = datetime.date(2017, 6, 8)
    relationship = HouseholdMember.Relationship.CHILD


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)

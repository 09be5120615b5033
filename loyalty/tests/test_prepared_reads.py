"""PreparedRead (selectors/prepared.py): the rows of SQL compiled once are the ORM's rows."""

import pytest

from loyalty.models import Card, VisitLine
from loyalty.selectors.checkout import _POINTS, _REWARDS
from loyalty.selectors.checkout_lines import _LINES
from loyalty.selectors.owners import _REGISTER_CARDS
from loyalty.selectors.prepared import PreparedRead
from loyalty.tests import factories


@pytest.mark.django_db
def test_a_prepared_read_gives_the_querysets_rows_for_each_id_in_turn(retailer):
    owners = [factories.PetOwnerFactory(retailer=retailer) for _ in range(2)]
    for n, owner in enumerate(owners):
        for _ in range(n + 1):
            Card.objects.create(
                retailer=retailer, owner=owner, program_card=factories.ProgramCardFactory()
            )
    read = PreparedRead(
        lambda owner_id: Card.objects.filter(owner_id=owner_id).values_list("id", "status")
    )
    for owner in owners * 2:  # the second round runs the SQL kept from the first
        expected = list(Card.objects.filter(owner_id=owner.pk).values_list("id", "status"))
        assert read.rows(owner.pk) == expected
        assert len(expected) in (1, 2)


@pytest.mark.django_db
def test_the_screens_prepared_reads_match_their_querysets(retailer):
    owner = factories.PetOwnerFactory(retailer=retailer)
    assert _LINES.rows(0) == []
    assert _REGISTER_CARDS.rows(owner.pk) == []
    assert _POINTS.rows(owner.pk, 0) == []
    assert _REWARDS.rows(retailer.pk) == []
    assert VisitLine.objects.filter(visit_id=0).count() == 0


@pytest.mark.django_db
def test_an_argument_that_is_not_a_parameter_is_refused():
    read = PreparedRead(lambda owner_id: Card.objects.filter(pk__gt=0).values_list("id"))
    with pytest.raises(ValueError, match="not parameters"):
        read.rows(1)


@pytest.mark.django_db
def test_prepared_models_come_with_their_select_related_ones(retailer):
    owner = factories.PetOwnerFactory(retailer=retailer)
    card = Card.objects.create(
        retailer=retailer, owner=owner, program_card=factories.ProgramCardFactory()
    )
    read = PreparedRead(
        lambda card_id: Card.objects.select_related("owner", "program_card").filter(pk=card_id)
    )
    for _ in range(2):
        [found] = read.objects(card.pk)
        assert (found.pk, found.owner.pk, found.program_card.pk) == (
            card.pk,
            owner.pk,
            card.program_card_id,
        )
        assert "owner" in found._state.fields_cache
    assert read.objects(card.pk + 1000) == []
    assert read.objects(2**70) == []  # beyond any id: nothing, not a database error
    assert read.objects(None) == []


@pytest.mark.django_db
def test_on_postgresql_the_statement_is_prepared_and_logged_as_djangos_sql(retailer):
    from django.db import DatabaseError, connection, transaction
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    owner = factories.PetOwnerFactory(retailer=retailer)
    read = PreparedRead(lambda owner_id: Card.objects.filter(owner_id=owner_id).values_list("id"))
    with CaptureQueriesContext(connection) as captured:
        assert read.rows(owner.pk) == []
        assert list(Card.objects.filter(owner_id=owner.pk).values_list("id")) == []
    ours, djangos = (query["sql"] for query in captured.captured_queries)
    assert ours == djangos and str(owner.pk) in ours

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert read._prepared["default"].sql.replace("%s", "$1") in statements
    with pytest.raises(DatabaseError), transaction.atomic():  # a failed statement, rolled back
        read.rows(owner.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
    assert read.rows(owner.pk) == []  # prepared again as needed, never an error


@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_between_requests_is_replaced_before_a_prepared_read():
    from django.db import close_old_connections, connection

    if connection.vendor != "postgresql" or not connection.health_check_enabled:
        pytest.skip("the health check of PostgreSQL's persistent connections")
    read = PreparedRead(lambda card_id: Card.objects.filter(pk=card_id).values_list("id"))
    for _ in range(6):  # prepared on this connection
        read.rows(1)
    with connection.cursor() as cursor:  # as a restart of the server would
        cursor.execute("SELECT pg_backend_pid()")
        lost = cursor.fetchone()[0]
    other = connection.copy()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [lost])
    other.close()
    close_old_connections()  # a request starts
    assert read.rows(1) == []
    assert connection.connection.info.backend_pid != lost

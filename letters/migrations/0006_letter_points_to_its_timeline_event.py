"""The letter points to the line of the request's timeline that tells it was sent (teleservices' CaseEvent pointed to
its letter, an arrow up from teleservices to letters): the field, then the values of CaseEvent.letter copied, the
first event of each letter kept if it had several, then the column of CaseEvent dropped (teleservices' migration 0018
removed it from the model).

The trigger of migration 0002 lets a sent letter change its event: the column is not among the frozen ones."""

import django.db.models.deletion
from django.db import migrations, models

FORWARDS = """
SET CONSTRAINTS ALL IMMEDIATE;
UPDATE letters_letter
SET event_id = first.id
FROM (
    SELECT DISTINCT ON (letter_id) letter_id, id FROM teleservices_caseevent
    WHERE letter_id IS NOT NULL ORDER BY letter_id, id
) AS first
WHERE letters_letter.id = first.letter_id;
ALTER TABLE teleservices_caseevent DROP COLUMN letter_id;
"""

# Checked at once: a foreign key check left pending until the commit would stop the removal of Letter.event that
# follows in the same transaction ("pending trigger events").
BACKWARDS = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE teleservices_caseevent
    ADD COLUMN letter_id bigint NULL REFERENCES letters_letter (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX teleservices_caseevent_letter_id ON teleservices_caseevent (letter_id);
UPDATE teleservices_caseevent
SET letter_id = letters_letter.id
FROM letters_letter
WHERE letters_letter.event_id = teleservices_caseevent.id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0005_letter_sent_once_ready"),
        ("teleservices", "0018_case_event_letter_left_to_letters"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="event",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="letter",
                to="teleservices.caseevent",
            ),
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]

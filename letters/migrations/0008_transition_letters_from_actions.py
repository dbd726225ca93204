"""The letter each action sent becomes its letter for every téléservice of the workflow, then the action's column
(and its history's) is dropped: teleservices' migration 0021 removed it from the model. Backwards, an action gets
back its letter for every téléservice; those chosen for one téléservice are lost."""

from django.db import migrations

FORWARDS = """
SET CONSTRAINTS ALL IMMEDIATE;
INSERT INTO letters_transitionletter (transition_id, teleservice_id, template_id)
SELECT id, NULL, letter_template_id FROM teleservices_transition WHERE letter_template_id IS NOT NULL;
ALTER TABLE teleservices_transition DROP COLUMN letter_template_id;
ALTER TABLE teleservices_historicaltransition DROP COLUMN letter_template_id;
"""

BACKWARDS = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE teleservices_transition
    ADD COLUMN letter_template_id bigint NULL REFERENCES letters_lettertemplate (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX teleservices_transition_letter_template_id ON teleservices_transition (letter_template_id);
ALTER TABLE teleservices_historicaltransition ADD COLUMN letter_template_id bigint NULL;
UPDATE teleservices_transition
SET letter_template_id = letters_transitionletter.template_id
FROM letters_transitionletter
WHERE letters_transitionletter.transition_id = teleservices_transition.id
    AND letters_transitionletter.teleservice_id IS NULL;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0007_transition_letter"),
    ]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]

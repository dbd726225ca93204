"""A sent letter never changes: a trigger refuses any update of what it says, whom and what it was sent to, its PDF
and its code (a check constraint cannot compare a row with its former self). Its author and sender may still be
emptied, when their accounts are deleted."""

from django.db import migrations

FROZEN = (
    *("case_id", "template_id", "kind", "department_id", "subject", "body", "recipient_name", "recipient_address"),
    *("status", "pdf_id", "code", "signature_required", "signed", "sent_at"),
)
OLD = ", ".join(f"OLD.{column}" for column in FROZEN)
NEW = ", ".join(f"NEW.{column}" for column in FROZEN)

CREATE = f"""
CREATE FUNCTION letters_letter_frozen_once_sent() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'sent' AND ({NEW}) IS DISTINCT FROM ({OLD}) THEN
        RAISE EXCEPTION 'The letter % has been sent: it cannot change.', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER letters_letter_frozen_once_sent BEFORE UPDATE ON letters_letter
    FOR EACH ROW EXECUTE FUNCTION letters_letter_frozen_once_sent();
"""

DROP = """
DROP TRIGGER letters_letter_frozen_once_sent ON letters_letter;
DROP FUNCTION letters_letter_frozen_once_sent();
"""


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letter_templates_and_letters")]

    operations = [migrations.RunSQL(CREATE, DROP)]

# The exclusion constraint against double booking compares the agenda and the desk (integers) with "=" inside a GiST
# index, which needs btree_gist (a contrib extension of PostgreSQL).

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = [BtreeGistExtension()]

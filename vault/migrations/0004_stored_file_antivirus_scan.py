# Files stored before the antivirus were not scanned; new files wait for their scan.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vault', '0003_stored_file_encryption_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='storedfile',
            name='scan',
            field=models.CharField(choices=[('pending', 'antivirus scan in progress'), ('clean', 'clean'), ('infected', 'infected, deleted'), ('not_scanned', 'not scanned (antivirus disabled)')], default='not_scanned', max_length=20, verbose_name='antivirus'),
        ),
        migrations.AddField(
            model_name='storedfile',
            name='virus',
            field=models.CharField(blank=True, max_length=200, verbose_name='virus found'),
        ),
        migrations.AlterField(
            model_name='storedfile',
            name='scan',
            field=models.CharField(choices=[('pending', 'antivirus scan in progress'), ('clean', 'clean'), ('infected', 'infected, deleted'), ('not_scanned', 'not scanned (antivirus disabled)')], default='pending', max_length=20, verbose_name='antivirus'),
        ),
    ]

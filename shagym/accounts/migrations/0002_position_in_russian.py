from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='position',
            field=models.CharField(blank=True, max_length=200, verbose_name='position in Kazakh'),
        ),
        migrations.AddField(
            model_name='user',
            name='position_ru',
            field=models.CharField(blank=True, max_length=200, verbose_name='position in Russian'),
        ),
    ]

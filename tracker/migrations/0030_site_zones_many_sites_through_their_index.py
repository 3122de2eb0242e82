from django.db import migrations

from tracker import sql


class Migration(migrations.Migration):
    """Many sites written at once (a bundle's thousands into a table holding few) are placed through the
    sites' spatial index again; a few among many as 0029 places them."""

    dependencies = [("tracker", "0029_site_zones_placed_per_site")]

    operations = [sql.apply("site_zones")]

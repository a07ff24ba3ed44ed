from django.db.models.signals import post_save
from django.dispatch import receiver

from content.services import clinic_programme_seed
from patients.models import Clinic


@receiver(post_save, sender=Clinic)
def seed_new_clinic(sender, instance, created, raw=False, **kwargs):
    """Every clinic starts with the default programme, however it was created
    (command, admin, fixture-less test): its admins adjust it from there."""
    if created and not raw:
        clinic_programme_seed(clinic=instance)

from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "declarations"
    verbose_name = "绩效目标申报"

    def ready(self):
        from declarations import converters

        # Before any URLconf is read: the admin's and ours use them.
        converters.register()
        # Counting wrong passwords listens to Django's login signals.
        from declarations import logins  # noqa: F401

"""Settings the plugin adds to the LMS (loaded by ``edx_django_utils.plugins.add_plugins``)."""

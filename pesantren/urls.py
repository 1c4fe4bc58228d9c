app_name = "pesantren"

urlpatterns: list = []

app_name = "alumni"

urlpatterns: list = []

app_name = "samsat"

urlpatterns: list = []

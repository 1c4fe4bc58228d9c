app_name = "santri"

urlpatterns: list = []

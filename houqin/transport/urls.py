app_name = "transport"
urlpatterns: list = []

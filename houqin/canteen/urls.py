app_name = "canteen"
urlpatterns: list = []

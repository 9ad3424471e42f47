from django.apps import AppConfig


class MyDataConfig(AppConfig):
    name = "mydata"
    verbose_name = "Your data"

# Organisation screens: being written (units, officials, users and roles, import).
from django.http import HttpResponse


def unit_list(request):
    return HttpResponse("")


unit_detail = official_list = user_list = import_view = unit_list

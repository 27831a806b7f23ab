from ninja import NinjaAPI

api = NinjaAPI(title="RK-PK API", version="1", urls_namespace="api")

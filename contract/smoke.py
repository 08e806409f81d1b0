"""The integrator's flow through the Python client openapi-python-client generates from
openapi/openapi.json: list bots, create a user with tags and attributes, search with the
seed's filter in a nested group, count, tag everyone a filter matches, post events.
`contract/run.sh` generates the client into contract/generated/python and runs this
against a live server (COHORT_URL, COHORT_TOKEN)."""

import datetime
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "generated", "python"))

from cohort_api_client import AuthenticatedClient  # noqa: E402
from cohort_api_client.api.bots import create_bot, list_bots  # noqa: E402
from cohort_api_client.api.events import ingest_events  # noqa: E402
from cohort_api_client.api.users import (  # noqa: E402
    bulk_users,
    count_users,
    get_user,
    search_users,
    upsert_user,
)
from cohort_api_client.models import (  # noqa: E402
    AddTags,
    AddTagsType,
    BulkRequest,
    ClickEvent,
    ChannelCondition,
    ChannelConditionColumn,
    ChannelConditionFunction,
    ClickEventType,
    CountRequest,
    CreateBot,
    FilterAll,
    FilterAny,
    IngestEvents,
    MessageEvent,
    MessageEventType,
    NumberRangeCondition,
    NumberRangeConditionColumn,
    NumberRangeConditionFunction,
    PageSize,
    SearchUsers,
    SelectionByFilter,
    SortSpec,
    TagCondition,
    TagConditionColumn,
    TagConditionFunction,
    TextCondition,
    TextConditionColumn,
    TextConditionFunction,
    UpsertUser,
    UpsertUserAttributes,
)


def ok(what, response):
    """The parsed answer of a 2xx, else stop with the problem."""
    if response.status_code // 100 != 2 or response.parsed is None:
        raise SystemExit(f"{what}: {response.status_code} {response.content!r}")
    return response.parsed


def expect(what, condition):
    if not condition:
        raise SystemExit(f"{what}: not as expected")
    print(f"ok: {what}")


client = AuthenticatedClient(base_url=os.environ["COHORT_URL"], token=os.environ["COHORT_TOKEN"])

created = ok("create a bot", create_bot.sync_detailed(client=client, body=CreateBot(name="Python smoke")))
bots = ok("list bots", list_bots.sync_detailed(client=client))
expect("the new bot is listed", any(bot.id == created.id for bot in bots.data))
bot = created.id

user = ok(
    "create a user",
    upsert_user.sync_detailed(
        bot,
        client=client,
        body=UpsertUser(
            channel="telegram",
            external_id="42",
            first_name="Yin Yin",
            last_name="Tan",
            tags=["vip"],
            attributes=UpsertUserAttributes.from_dict({"fav_food": "pizza"}),
        ),
    ),
)
expect("the user has its tags and attributes", user.tags == ["vip"] and user.attributes["fav_food"] == "pizza")

seed = TextCondition(
    column=TextConditionColumn.FIRST_NAME, function=TextConditionFunction.CONTAINS, value="Yin Yin"
)
nested = FilterAll(
    all_=[
        seed,
        FilterAny(
            any_=[
                ChannelCondition(
                    column=ChannelConditionColumn.CHANNEL, function=ChannelConditionFunction.IS, value="telegram"
                ),
                TagCondition(column=TagConditionColumn.TAGS, function=TagConditionFunction.HAS, value="vip"),
            ]
        ),
        NumberRangeCondition(
            column=NumberRangeConditionColumn.SESSIONS, function=NumberRangeConditionFunction.BETWEEN, value=[0, 10]
        ),
    ]
)
found = ok(
    "search with the seed's filter in a nested group",
    search_users.sync_detailed(
        bot,
        client=client,
        body=SearchUsers(filter_=nested, sort=SortSpec("-last_message_at"), limit=PageSize(50)),
    ),
)
expect("the search finds the user", found.total == 1 and found.data[0].id == user.id)

selection = SelectionByFilter(filter_=seed)
counted = ok("count a selection", count_users.sync_detailed(bot, client=client, body=CountRequest(selection=selection)))
expect("the selection holds the user", counted.count == 1)

action = AddTags(type_=AddTagsType.ADD_TAGS, tags=["python"])
bulk = ok(
    "tag everyone the filter matches",
    bulk_users.sync_detailed(bot, client=client, body=BulkRequest(selection=selection, action=action)),
)
expect("the bulk action changed the user", bulk.affected == 1 and bulk.selected == 1)

at = datetime.datetime(2026, 11, 1, 10, 0, tzinfo=datetime.timezone.utc)
events = [
    MessageEvent(id="evt-1", type_=MessageEventType.MESSAGE, channel="telegram", external_user_id="42", text="so slow!", at=at),
    ClickEvent(
        id="evt-2",
        type_=ClickEventType.CLICK,
        channel="telegram",
        external_user_id="42",
        url="https://example.com/menu",
        at=at + datetime.timedelta(minutes=3),
    ),
]
ingested = ok("post events", ingest_events.sync_detailed(bot, client=client, body=IngestEvents(events=events)))
expect("both events are stored", ingested.accepted == 2 and ingested.duplicates == 0)

after = ok("read the user", get_user.sync_detailed(bot, user.id, client=client))
expect(
    "the user has the new tag, a message and a click",
    "python" in after.tags and after.messages_sent == 1 and after.clicks == 1,
)
print("python smoke: all steps passed")

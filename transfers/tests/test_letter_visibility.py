"""Issue 16 item 7: a draft transfer's 案件移送书 is not shown to its receiver — not the
document page, its PDF or the API — until the transfer is sent: a document's visibility
follows its target's state."""
import pytest
from rest_framework.test import APIClient

from transfers import services
from transfers.models import TransferStatus

from .helpers import World, complete

pytestmark = pytest.mark.django_db


def _receiver_sees(client, api, transfer, document) -> dict[str, int]:
    return {
        "transfer": client.get(f"/transfers/{transfer.pk}/").status_code,
        "document": client.get(f"/documents/{document.pk}/").status_code,
        "pdf": client.get(f"/documents/{document.pk}/pdf/").status_code,
        "api": api.get(f"/api/v1/documents/{document.pk}/").status_code,
        "api_pdf": api.get(f"/api/v1/documents/{document.pk}/pdf/").status_code,
    }


def test_the_letter_of_a_draft_transfer_stays_with_the_sender_until_sent(client):
    world = World()
    transfer = world.transfer()
    complete(world.head, transfer)
    letter = transfer.materials.get(document__isnull=False).document
    client.force_login(world.receiver_officer)
    api = APIClient()
    api.force_authenticate(world.receiver_officer)
    assert set(_receiver_sees(client, api, transfer, letter).values()) == {404}
    assert api.get("/api/v1/documents/").json()["count"] == 0

    services.transfer_transition(actor=world.head, transfer=transfer, target=TransferStatus.SENT)
    assert set(_receiver_sees(client, api, transfer, letter).values()) == {200}

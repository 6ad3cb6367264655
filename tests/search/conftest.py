"""A small world for search: account A (the world's) with Chinese and English text, and
account B of another team with text only B's team may find."""
import pytest

from app.stakeholders import services as stakeholders
from tests.complaints.factories import make_channel


class SearchWorld:
    def __init__(self, world):
        self.w = world
        kam, other_kam = world.users["kam"], world.users["outsider"]
        a, b = world.account, world.other
        self.dept = stakeholders.create_department(kam, a, {"name": "质量部 Quality", "function": "quality"})
        self.zhang = stakeholders.create_contact(kam, a, {
            "name": "张伟", "title": "质量总监 Quality director", "department_id": self.dept.id,
            "email": "zhang.wei@huadong.example.com", "phone": "+86 21 5555 0101"})
        self.wang = stakeholders.create_contact(kam, a, {"name": "王芳", "title": "采购经理 Purchasing manager"})
        # Only account B has these words: searching them from A's team finds nothing.
        self.secret = stakeholders.create_contact(other_kam, b, {
            "name": "赵秘密 Zhao Secret", "title": "保密总监 Confidential director"})
        self.channel = make_channel(a)


@pytest.fixture
def sw(world):
    return SearchWorld(world)

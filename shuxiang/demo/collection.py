"""The demo collection: plausible Chinese books across CLC classes, children's literature
heaviest, with reference books, picture books, pinyin readers and teachers' material.

Generated from a seeded generator and stored through the catalogue's own bulk import,
in accession batches, so the registers, labels and search have something real to show.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal

from stdnum import ean

from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.importing import ImportOptions, import_bibs
from shuxiang.catalog.models import (
    AccessionBatch,
    GradeBand,
    ItemSource,
    Location,
    MaterialType,
    SchoolCounter,
)
from shuxiang.catalog.services import refresh_batch_totals
from shuxiang.demo.names import person_name
from shuxiang.schools.models import School

PUBLISHERS = [
    ("人民文学出版社", "北京", "02"),
    ("中华书局", "北京", "101"),
    ("商务印书馆", "北京", "100"),
    ("少年儿童出版社", "上海", "5324"),
    ("中国少年儿童出版社", "北京", "5007"),
    ("二十一世纪出版社", "南昌", "5391"),
    ("接力出版社", "南宁", "5448"),
    ("浙江少年儿童出版社", "杭州", "5342"),
    ("明天出版社", "济南", "5332"),
    ("人民教育出版社", "北京", "107"),
    ("科学普及出版社", "北京", "110"),
    ("长江少年儿童出版社", "武汉", "5560"),
    ("外语教学与研究出版社", "北京", "5600"),
    ("北京师范大学出版社", "北京", "303"),
    ("译林出版社", "南京", "5447"),
]
ANIMALS = (
    "小熊 兔子 狐狸 小猪 企鹅 恐龙 小猫 大象 猴子 青蛙 小鸭 松鼠 刺猬 小狗 长颈鹿 乌龟".split()
)
THINGS = (
    "蜂蜜罐 红雨伞 魔法书 彩虹桥 星星船 秘密花园 月光宝盒 小书包 纸飞机 大南瓜 蓝气球 旧怀表"
).split()
ADVENTURES = "历险记 上学记 找朋友 过生日 搬新家 去旅行 当船长 学游泳 开书店 种星星".split()
SEASONS = "春天 夏天 秋天 冬天 早晨 夜晚 雨天 雪天".split()
PLACES = "森林 海边 山谷 城堡 草原 月亮 小镇 雪山 果园 动物园".split()
TOPICS = "恐龙 宇宙 海洋 昆虫 植物 人体 地球 天气 火山 星空 机器人 电 鸟类 岩石 细菌 桥梁".split()
PEOPLE = (
    "孔子 李白 杜甫 苏轼 鲁迅 钱学森 袁隆平 詹天佑 华罗庚 屠呦呦 爱因斯坦 居里夫人 爱迪生 郑和"
).split()
SUBJECTS = "语文 数学 英语 科学 音乐 美术 体育 道德与法治".split()
CLASSICS = [
    ("西游记", "吴承恩", "I242.4"),
    ("红楼梦", "曹雪芹", "I242.4"),
    ("三国演义", "罗贯中", "I242.4"),
    ("水浒传", "施耐庵", "I242.4"),
    ("骆驼祥子", "老舍", "I246.5"),
    ("朝花夕拾", "鲁迅", "I210.4"),
    ("城南旧事", "林海音", "I246.5"),
    ("呼兰河传", "萧红", "I246.5"),
    ("草房子", "曹文轩", "I287.45"),
    ("稻草人", "叶圣陶", "I287.7"),
    ("小英雄雨来", "管桦", "I287.45"),
    ("繁星·春水", "冰心", "I226"),
]


def isbn(rng: random.Random, publisher_code: str, serial: int) -> str:
    body = f"9787{publisher_code}"
    body += f"{serial:0{12 - len(body)}d}"[-(12 - len(body)) :]
    return body + ean.calc_check_digit(body)


def _book(rng: random.Random, n: int) -> tuple[str, str, str, str, str]:
    """(title, class number, material type, grade band, location code) of the n-th book."""
    roll = rng.random()
    if roll < 0.49:
        kind = rng.random()
        if kind < 0.25:
            return (
                f"{rng.choice(ANIMALS)}的{rng.choice(THINGS)}",
                "I287.8",
                MaterialType.PICTURE_BOOK,
                GradeBand.LOWER,
                "gallery",
            )
        if kind < 0.30:
            classic, _author, class_number = rng.choice(CLASSICS)
            return (
                f"{classic}（注音版）",
                class_number,
                MaterialType.PINYIN,
                GradeBand.LOWER,
                "corner",
            )
        title = rng.choice(
            [
                f"{rng.choice(PLACES)}里的{rng.choice(ANIMALS)}",
                f"会飞的{rng.choice(ANIMALS)}",
                f"{rng.choice(ANIMALS)}去{rng.choice(PLACES)}",
                f"{rng.choice(ANIMALS)}和{rng.choice(ANIMALS)}的{rng.choice(THINGS)}",
                f"{rng.choice(ANIMALS)}{rng.choice(ADVENTURES)}",
                f"寻找{rng.choice(THINGS)}的{rng.choice(ANIMALS)}",
                f"{rng.choice(PLACES)}的{rng.choice(SEASONS)}",
            ]
        )
        return (
            title,
            rng.choice(["I287.45", "I287.5", "I287.7", "I287.2"]),
            MaterialType.BOOK,
            rng.choice([GradeBand.MIDDLE, GradeBand.UPPER]),
            "stacks",
        )
    if roll < 0.52:  # the classics, in many editions
        classic, _author, class_number = rng.choice(CLASSICS)
        return (classic, class_number, MaterialType.BOOK, GradeBand.UPPER, "stacks")
    if roll < 0.66:
        topic = rng.choice(TOPICS)
        title = rng.choice(
            [f"{topic}的奥秘", f"十万个为什么·{topic}", f"走进{topic}世界", f"我的第一本{topic}书"]
        )
        class_number = rng.choice(["N49", "P1-49", "Q-49", "P5", "Q95-49", "O4-49", "TP24"])
        return (title, class_number, MaterialType.BOOK, GradeBand.MIDDLE, "stacks")
    if roll < 0.74:
        return (
            f"{rng.choice(PEOPLE)}的故事",
            "K820.9",
            MaterialType.BOOK,
            GradeBand.UPPER,
            "stacks",
        )
    if roll < 0.80:
        title = rng.choice(
            [
                "新华字典",
                "现代汉语词典",
                "成语大词典",
                "小学生同义词近义词词典",
                "中国少年儿童百科全书",
                "古汉语常用字字典",
            ]
        )
        class_number = "Z228" if "百科" in title else "H163"
        return (title, class_number, MaterialType.REFERENCE, "", "reading")
    if roll < 0.88:
        subject = rng.choice(SUBJECTS)
        title = rng.choice(
            [f"小学{subject}教学设计", f"{subject}课堂教学案例精选", f"{subject}教师用书"]
        )
        return (
            title,
            "G623.2" if subject == "语文" else "G623.5",
            MaterialType.TEACHING,
            "",
            "teachers",
        )
    if roll < 0.91:
        title = rng.choice(
            [
                "小学生心理健康读本",
                "我的情绪小怪兽",
                "学会和朋友相处",
                "中华传统美德故事",
                "孔子的智慧",
                "写给孩子的哲学启蒙",
            ]
        )
        return (
            title,
            rng.choice(["B844.1", "B82-49", "B222"]),
            MaterialType.BOOK,
            GradeBand.MIDDLE,
            "stacks",
        )
    if roll < 0.94:
        return (
            f"儿童{rng.choice(['水彩画', '简笔画', '书法', '剪纸', '折纸'])}入门",
            rng.choice(["J21", "J292", "J528"]),
            MaterialType.BOOK,
            GradeBand.MIDDLE,
            "stacks",
        )
    return (
        f"{rng.choice(['中国', '世界'])}历史故事{n % 10 + 1}",
        "K209",
        MaterialType.BOOK,
        GradeBand.UPPER,
        "stacks",
    )


def books(rng: random.Random, count: int) -> Iterator[tuple[BibData, int]]:
    """(record, copies) pairs; about 2.5 copies a record on average."""
    serials: dict[str, int] = {}
    for n in range(1, count + 1):
        title, class_number, material, band, location = _book(rng, n)
        publisher, place, code = rng.choice(PUBLISHERS)
        serials[code] = serials.get(code, 0) + rng.randint(1, 3)
        author = next((a for t, a, _c in CLASSICS if title.startswith(t)), None) or person_name(
            rng, rng.choice("MF"), teacher=True
        )
        contributors = [Contributor(author, "著")]
        if material == MaterialType.PICTURE_BOOK and rng.random() < 0.5:
            contributors.append(Contributor(person_name(rng, "F", teacher=True), "绘"))
        copies = 1 if material == MaterialType.TEACHING else rng.choice([1, 2, 2, 3, 3, 4, 5])
        yield (
            BibData(
                title=title,
                contributors=contributors,
                responsibility=" ; ".join(f"{c.name}{c.role}" for c in contributors),
                publisher=publisher,
                place=place,
                date=str(rng.randint(2005, 2026)),
                isbns=[isbn(rng, code, serials[code])],
                price=Decimal(rng.randint(980, 5980)) / 100,
                pages=f"{rng.randint(24, 360)}页",
                class_number=class_number,
                language="chi",
                material_type=material,
                grade_band=band,
                holdings=[Holding(location=location)] * copies,
            ),
            copies,
        )


def build_collection(school: School, *, records: int, seed: int = 2026) -> None:
    """Catalogue `records` demo records with their copies into `school`, in yearly batches."""
    rng = random.Random(seed)
    stacks = Location.objects.get(school=school, code="stacks")
    batches = 8
    per_batch = max(1, records // batches)
    stream = books(rng, records)
    for number in range(1, batches + 1):
        received = datetime.date(2019 + number - 1, rng.randint(3, 10), rng.randint(1, 28))
        source = ItemSource.DONATION if number == 5 else ItemSource.PURCHASE
        batch = AccessionBatch.objects.create(
            school=school,
            number=number,
            received_on=received,
            source=source,
            supplier="学生捐赠" if source == ItemSource.DONATION else "新华书店馆配中心",
            invoice="" if source == ItemSource.DONATION else f"FP{received:%Y%m}{number:03d}",
        )
        size = per_batch if number < batches else records - per_batch * (batches - 1)
        entries = (
            (i, bib, None)
            for i, (bib, _copies) in enumerate((next(stream) for _ in range(size)), start=1)
        )
        import_bibs(
            entries,
            school=school,
            by=None,
            options=ImportOptions(
                location=stacks, source=source, batch=batch, received_on=received
            ),
            parallel=records >= 50_000,  # a benchmark-sized demo reads in a second process
        )
        refresh_batch_totals(batch)
    SchoolCounter.objects.filter(school=school).update(last_batch=batches)

"""Plausible Chinese names for demo readers, drawn from a seeded generator."""

from __future__ import annotations

import random

# Common surnames, the most frequent repeated so that they come up more often.
SURNAMES = ("王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
            "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦"
            "邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
BOY = "浩宇轩子涵博文俊杰明辰泽睿晨阳一鸣思远天佑皓然嘉伟志强家豪宇航梓铭昊瑞霖锦程泓逸鹏"
GIRL = "欣怡梓涵雨萱诗琪紫萱佳怡思彤可馨若汐雅婷梦瑶语嫣晓雪静怡一诺心怡婉清悦彤芷若欢颖"
TEACHER_GIVEN = "建国红梅丽华秀英志刚海燕玉兰文静晓东春生桂芳淑珍国庆凤英立新慧敏振华雪梅卫东"


def person_name(rng: random.Random, gender: str, *, teacher: bool = False) -> str:
    surname = rng.choice(SURNAMES)
    pool = TEACHER_GIVEN if teacher else (BOY if gender == "M" else GIRL)
    length = 2 if rng.random() < 0.7 else 1
    return surname + "".join(rng.choice(pool) for _ in range(length))

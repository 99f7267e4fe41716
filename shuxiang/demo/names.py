"""Plausible Chinese names for demo readers, drawn from a seeded generator."""

from __future__ import annotations

import random

# Common surnames; the most frequent are repeated so that they come up more often.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦"
    "邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
BOYS = (
    "浩宇 子轩 宇轩 梓豪 俊杰 博文 浩然 子墨 一鸣 皓轩 思远 天佑 嘉伟 "
    "志强 家豪 宇航 梓铭 昊天 瑞霖 锦程 泓逸 鹏飞 明轩 俊熙 文博 睿泽 "
    "晨阳 子豪 承泽 奕辰 伟 杰 涛 磊 鑫 昊 睿 航"
).split()
GIRLS = (
    "欣怡 梓涵 雨萱 诗琪 紫萱 佳怡 思彤 可馨 若汐 雅婷 梦瑶 语嫣 晓雪 "
    "静怡 一诺 心怡 婉清 悦彤 芷若 欣妍 子涵 雨桐 可欣 思琪 梓萱 诗涵 "
    "佳琪 语桐 安琪 雪 婷 颖 琳 洁 敏 悦 萌"
).split()
ADULTS = (
    "建国 红梅 丽华 秀英 志刚 海燕 玉兰 文静 晓东 春生 桂芳 淑珍 国庆 "
    "凤英 立新 慧敏 振华 雪梅 卫东 丽娟 晓燕 建华 明 芳 静 丽 军 勇 艳 "
    "娟 霞 平 刚 敏 燕"
).split()


def person_name(rng: random.Random, gender: str, *, teacher: bool = False) -> str:
    pool = ADULTS if teacher else (BOYS if gender == "M" else GIRLS)
    return rng.choice(SURNAMES) + rng.choice(pool)

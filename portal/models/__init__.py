"""Portal models: Wagtail pages (home, topic, article, document list), comments, visit statistics."""

from portal.models.comments import BannedWord, Comment, CommentBan, CommentStatus
from portal.models.pages import (
    ArticleFootnote,
    ArticlePage,
    ArticlePageTag,
    ArticleRelatedLink,
    DocumentListPage,
    HomeLeadStory,
    PortalHomePage,
    TopicPage,
)
from portal.models.stats import DailyReferrer, DailyViews, PageHit

__all__ = [
    "ArticleFootnote", "ArticlePage", "ArticlePageTag", "ArticleRelatedLink", "BannedWord", "Comment", "CommentBan",
    "CommentStatus", "DailyReferrer", "DailyViews", "DocumentListPage", "HomeLeadStory", "PageHit",
    "PortalHomePage", "TopicPage",
]

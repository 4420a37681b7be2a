"""The crawler stage: fetch the site with Scrapy, extract each page, check each link target."""

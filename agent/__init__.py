"""khabar: grounded structured extraction from news articles."""

FROM docker.elastic.co/elasticsearch/elasticsearch:8.18.0
# The smartcn analyzer segments Chinese words; without it the index falls back to the cjk bigram analyzer.
RUN bin/elasticsearch-plugin install --batch analysis-smartcn

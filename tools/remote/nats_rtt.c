/* The baseline for bench_remote.sh: a raw cnats request/reply round trip on one connection
 * (with natsOptions_SetSendAsap, as modrt's connections), a responder echoing on another.
 * Usage: nats_rtt URL N  -> prints "calls_per_s p50_us p99_us". */
#include <nats/nats.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void echo(natsConnection* nc, natsSubscription* sub, natsMsg* msg, void* closure) {
    (void)sub;
    (void)closure;
    natsConnection_Publish(nc, natsMsg_GetReply(msg), natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
}

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int cmp(const void* a, const void* b) {
    int64_t x = *(const int64_t*)a, y = *(const int64_t*)b;
    return (x > y) - (x < y);
}

static natsConnection* connect(const char* url) {
    natsOptions* o = NULL;
    natsConnection* nc = NULL;
    natsOptions_Create(&o);
    natsOptions_SetURL(o, url);
    natsOptions_SetSendAsap(o, true);
    if (natsConnection_Connect(&nc, o) != NATS_OK) {
        fprintf(stderr, "nats_rtt: cannot connect to %s\n", url);
        exit(1);
    }
    natsOptions_Destroy(o);
    return nc;
}

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    int n = atoi(argv[2]);
    natsConnection* server = connect(argv[1]);
    natsConnection* client = connect(argv[1]);
    natsSubscription* sub = NULL;
    natsConnection_Subscribe(&sub, server, "bench.rtt", echo, NULL);
    natsConnection_Flush(server);
    int64_t* lat = malloc(sizeof(int64_t) * (size_t)n);
    const char payload[] = "\xa2\x61v\x01\x62ok\x81\x01"; /* about the size of a small modrt reply */
    int64_t start = now_ns();
    for (int i = 0; i < n; ++i) {
        natsMsg* reply = NULL;
        int64_t t = now_ns();
        if (natsConnection_Request(&reply, client, "bench.rtt", payload, sizeof payload - 1, 5000) != NATS_OK) {
            fprintf(stderr, "nats_rtt: request failed\n");
            return 1;
        }
        lat[i] = now_ns() - t;
        natsMsg_Destroy(reply);
    }
    double secs = (double)(now_ns() - start) / 1e9;
    qsort(lat, (size_t)n, sizeof(int64_t), cmp);
    printf("%.0f %.1f %.1f\n", n / secs, lat[n / 2] / 1e3, lat[(n * 99) / 100] / 1e3);
    free(lat);
    natsSubscription_Destroy(sub);
    natsConnection_Destroy(client);
    natsConnection_Destroy(server);
    nats_Close();
    return 0;
}

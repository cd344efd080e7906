#ifndef ANNALS_CNATS_SHIM_H
#define ANNALS_CNATS_SHIM_H

#include <nats/nats.h>

#endif

var stats = {
    type: "GROUP",
name: "All Requests",
path: "",
pathFormatted: "group_missing-name--1146707516",
stats: {
    "name": "All Requests",
    "numberOfRequests": {
        "total": "1500",
        "ok": "1500",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "0",
        "ok": "0",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "25335",
        "ok": "25335",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "6387",
        "ok": "6387",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "6605",
        "ok": "6605",
        "ko": "-"
    },
    "percentiles1": {
        "total": "3974",
        "ok": "3974",
        "ko": "-"
    },
    "percentiles2": {
        "total": "10138",
        "ok": "10138",
        "ko": "-"
    },
    "percentiles3": {
        "total": "18935",
        "ok": "18997",
        "ko": "-"
    },
    "percentiles4": {
        "total": "22840",
        "ok": "22840",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 365,
    "percentage": 24.333333333333336
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 61,
    "percentage": 4.066666666666666
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 1074,
    "percentage": 71.6
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "31.91",
        "ok": "31.91",
        "ko": "-"
    }
},
contents: {
"group_journey--1419464768": {
          type: "GROUP",
name: "journey",
path: "journey",
pathFormatted: "group_journey--1419464768",
stats: {
    "name": "journey",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "25802",
        "ok": "25802",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "36701",
        "ok": "36701",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "31935",
        "ok": "31935",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "2519",
        "ok": "2519",
        "ko": "-"
    },
    "percentiles1": {
        "total": "32675",
        "ok": "32675",
        "ko": "-"
    },
    "percentiles2": {
        "total": "33884",
        "ok": "33884",
        "ko": "-"
    },
    "percentiles3": {
        "total": "35101",
        "ok": "35101",
        "ko": "-"
    },
    "percentiles4": {
        "total": "35940",
        "ok": "35940",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 0,
    "percentage": 0.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 0,
    "percentage": 0.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 300,
    "percentage": 100.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
},
contents: {
"req_join-waiting-ro-1419962884": {
        type: "REQUEST",
        name: "join waiting room",
path: "journey / join waiting room",
pathFormatted: "req_journey---join---1320076301",
stats: {
    "name": "join waiting room",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "19",
        "ok": "19",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "3660",
        "ok": "3660",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "1483",
        "ok": "1483",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "853",
        "ok": "853",
        "ko": "-"
    },
    "percentiles1": {
        "total": "1497",
        "ok": "1497",
        "ko": "-"
    },
    "percentiles2": {
        "total": "2189",
        "ok": "2189",
        "ko": "-"
    },
    "percentiles3": {
        "total": "2811",
        "ok": "2811",
        "ko": "-"
    },
    "percentiles4": {
        "total": "3287",
        "ok": "3287",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 82,
    "percentage": 27.333333333333332
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 43,
    "percentage": 14.333333333333334
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 175,
    "percentage": 58.333333333333336
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
}
    },"req_admission-27400201": {
        type: "REQUEST",
        name: "admission",
path: "journey / admission",
pathFormatted: "req_journey---admis-1886456",
stats: {
    "name": "admission",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "1044",
        "ok": "1044",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "18905",
        "ok": "18905",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "9785",
        "ok": "9785",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "5797",
        "ok": "5797",
        "ko": "-"
    },
    "percentiles1": {
        "total": "10668",
        "ok": "10668",
        "ko": "-"
    },
    "percentiles2": {
        "total": "15060",
        "ok": "15060",
        "ko": "-"
    },
    "percentiles3": {
        "total": "18094",
        "ok": "18094",
        "ko": "-"
    },
    "percentiles4": {
        "total": "18805",
        "ok": "18805",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 0,
    "percentage": 0.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 2,
    "percentage": 0.6666666666666667
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 298,
    "percentage": 99.33333333333333
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
}
    },"req_close-socket--1276476773": {
        type: "REQUEST",
        name: "close socket",
path: "journey / close socket",
pathFormatted: "req_journey---close--1147242676",
stats: {
    "name": "close socket",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "0",
        "ok": "0",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "1515",
        "ok": "1515",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "218",
        "ok": "218",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "281",
        "ok": "281",
        "ko": "-"
    },
    "percentiles1": {
        "total": "82",
        "ok": "82",
        "ko": "-"
    },
    "percentiles2": {
        "total": "338",
        "ok": "338",
        "ko": "-"
    },
    "percentiles3": {
        "total": "886",
        "ok": "886",
        "ko": "-"
    },
    "percentiles4": {
        "total": "1039",
        "ok": "1039",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 283,
    "percentage": 94.33333333333334
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 16,
    "percentage": 5.333333333333334
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 1,
    "percentage": 0.33333333333333337
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
}
    },"req_purchase-1743324417": {
        type: "REQUEST",
        name: "purchase",
path: "journey / purchase",
pathFormatted: "req_journey---purch--1444087246",
stats: {
    "name": "purchase",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "2481",
        "ok": "2481",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "10786",
        "ok": "10786",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "6034",
        "ok": "6034",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "1641",
        "ok": "1641",
        "ko": "-"
    },
    "percentiles1": {
        "total": "6198",
        "ok": "6198",
        "ko": "-"
    },
    "percentiles2": {
        "total": "7033",
        "ok": "7033",
        "ko": "-"
    },
    "percentiles3": {
        "total": "8656",
        "ok": "8656",
        "ko": "-"
    },
    "percentiles4": {
        "total": "10728",
        "ok": "10728",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 0,
    "percentage": 0.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 0,
    "percentage": 0.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 300,
    "percentage": 100.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
}
    },"req_pay-110760": {
        type: "REQUEST",
        name: "pay",
path: "journey / pay",
pathFormatted: "req_journey---pay--657227561",
stats: {
    "name": "pay",
    "numberOfRequests": {
        "total": "300",
        "ok": "300",
        "ko": "0"
    },
    "minResponseTime": {
        "total": "2190",
        "ok": "2190",
        "ko": "-"
    },
    "maxResponseTime": {
        "total": "25335",
        "ok": "25335",
        "ko": "-"
    },
    "meanResponseTime": {
        "total": "14415",
        "ok": "14415",
        "ko": "-"
    },
    "standardDeviation": {
        "total": "6543",
        "ok": "6543",
        "ko": "-"
    },
    "percentiles1": {
        "total": "16669",
        "ok": "16669",
        "ko": "-"
    },
    "percentiles2": {
        "total": "18993",
        "ok": "18993",
        "ko": "-"
    },
    "percentiles3": {
        "total": "22825",
        "ok": "22825",
        "ko": "-"
    },
    "percentiles4": {
        "total": "24876",
        "ok": "24876",
        "ko": "-"
    },
    "group1": {
    "name": "t < 800 ms",
    "htmlName": "t < 800 ms",
    "count": 0,
    "percentage": 0.0
},
    "group2": {
    "name": "800 ms <= t < 1200 ms",
    "htmlName": "t >= 800 ms <br> t < 1200 ms",
    "count": 0,
    "percentage": 0.0
},
    "group3": {
    "name": "t >= 1200 ms",
    "htmlName": "t >= 1200 ms",
    "count": 300,
    "percentage": 100.0
},
    "group4": {
    "name": "failed",
    "htmlName": "failed",
    "count": 0,
    "percentage": 0.0
},
    "meanNumberOfRequestsPerSecond": {
        "total": "6.38",
        "ok": "6.38",
        "ko": "-"
    }
}
    }
}

     }
}

}

function fillStats(stat){
    $("#numberOfRequests").append(stat.numberOfRequests.total);
    $("#numberOfRequestsOK").append(stat.numberOfRequests.ok);
    $("#numberOfRequestsKO").append(stat.numberOfRequests.ko);

    $("#minResponseTime").append(stat.minResponseTime.total);
    $("#minResponseTimeOK").append(stat.minResponseTime.ok);
    $("#minResponseTimeKO").append(stat.minResponseTime.ko);

    $("#maxResponseTime").append(stat.maxResponseTime.total);
    $("#maxResponseTimeOK").append(stat.maxResponseTime.ok);
    $("#maxResponseTimeKO").append(stat.maxResponseTime.ko);

    $("#meanResponseTime").append(stat.meanResponseTime.total);
    $("#meanResponseTimeOK").append(stat.meanResponseTime.ok);
    $("#meanResponseTimeKO").append(stat.meanResponseTime.ko);

    $("#standardDeviation").append(stat.standardDeviation.total);
    $("#standardDeviationOK").append(stat.standardDeviation.ok);
    $("#standardDeviationKO").append(stat.standardDeviation.ko);

    $("#percentiles1").append(stat.percentiles1.total);
    $("#percentiles1OK").append(stat.percentiles1.ok);
    $("#percentiles1KO").append(stat.percentiles1.ko);

    $("#percentiles2").append(stat.percentiles2.total);
    $("#percentiles2OK").append(stat.percentiles2.ok);
    $("#percentiles2KO").append(stat.percentiles2.ko);

    $("#percentiles3").append(stat.percentiles3.total);
    $("#percentiles3OK").append(stat.percentiles3.ok);
    $("#percentiles3KO").append(stat.percentiles3.ko);

    $("#percentiles4").append(stat.percentiles4.total);
    $("#percentiles4OK").append(stat.percentiles4.ok);
    $("#percentiles4KO").append(stat.percentiles4.ko);

    $("#meanNumberOfRequestsPerSecond").append(stat.meanNumberOfRequestsPerSecond.total);
    $("#meanNumberOfRequestsPerSecondOK").append(stat.meanNumberOfRequestsPerSecond.ok);
    $("#meanNumberOfRequestsPerSecondKO").append(stat.meanNumberOfRequestsPerSecond.ko);
}

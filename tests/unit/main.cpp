#define BOOST_TEST_MODULE palabre_unit_tests
#include <boost/test/unit_test.hpp>

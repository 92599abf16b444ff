// The etcd server binary, with the same entry point as etcd's own main package; that root
// module (go.etcd.io/etcd/v3) would also pull in etcdctl, etcdutl and the test tooling.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}

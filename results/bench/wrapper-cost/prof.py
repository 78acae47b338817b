import re, subprocess, sys
from collections import Counter
def samples(f):
    for ev in ["jdk.ExecutionSample", "jdk.NativeMethodSample"]:
        text = subprocess.run(["jfr","print","--events",ev,"--stack-depth","80",f],check=True,capture_output=True,text=True).stdout
        for e in text.split(ev+" {")[1:]:
            th = re.search(r'sampledThread = "([^"]*)"', e)
            frames = re.findall(r"^\s+([\w$.<>]+)\(", e.split("stackTrace = [",1)[-1], re.M)
            yield (th.group(1) if th else ""), frames, ev
def phase(fr):
    j = " ".join(fr)
    for key in ["TangentPass.push", "InitialOutputCache", "LazyLayerRuntime.initialOutput", "InnerGraph.forward", "InnerGraph.backward","updater", "Updater", "StepCollector", "System.gc"]:
        if key in j: 
            return key
    return "other"
def detail(fr):
    # the first widenet/dl4j frame from the top, plus top frame
    top = fr[0].rsplit(".",2)[-2:] if fr else ["?"]
    w = next((f for f in fr if "widenet" in f), "-")
    return ".".join(w.rsplit(".",2)[-2:]) + " <- top " + ".".join(top)
f = sys.argv[1]
ph = Counter(); det = Counter(); n=0
for th, fr, ev in samples(f):
    if th != "main": continue
    n += 1
    p = phase(fr); ph[p]+=1; det[(p, detail(fr))]+=1
print(f, n, "main-thread samples")
for k,v in ph.most_common(): print(f"{100*v/n:6.1f}%  {k}")
print()
for (p,d),v in det.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40): print(f"{100*v/n:6.1f}%  {p:30s} {d}")

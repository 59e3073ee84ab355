"""Electronic digital signatures (ЭЦП): verifying the CMS (CAdES) signatures NCALayer makes (`verify.py`, with
`cms.py` for the content and `revocation.py` for OCSP and CRL; GOST through NCANode, `ncanode.py`), and a small
certification authority of our own for the tests and the demo (`pki.py`) with a stand-in for NCALayer
(`ncalayer_double.py`). Below the complaints: it knows certificates and bytes, nothing of complaints."""
